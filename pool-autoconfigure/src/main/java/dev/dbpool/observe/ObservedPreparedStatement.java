package dev.dbpool.observe;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;

import org.jspecify.annotations.Nullable;

/**
 * A {@link PreparedStatement} that times its execute calls under the shape resolved once
 * at prepare time. Bind parameters are captured only when the slow-query log asks for
 * them, which is decided when the statement is created.
 */
class ObservedPreparedStatement extends ObservedStatement implements PreparedStatement {

	private final PreparedStatement preparedDelegate;

	final String sql;

	private final StatementShape shape;

	final @Nullable ParameterValues parameters;

	ObservedPreparedStatement(PreparedStatement delegate, String sql, ObservedConnection connection,
			QueryObserver observer) {
		super(delegate, connection, observer);
		this.preparedDelegate = delegate;
		this.sql = sql;
		this.shape = observer.shapeOf(sql);
		this.parameters = observer.capturesParameters() ? new ParameterValues() : null;
	}

	@Override
	public ResultSet executeQuery() throws SQLException {
		StatementShape shape = this.shape;
		ResultSet result;
		long start = System.nanoTime();
		try {
			result = this.preparedDelegate.executeQuery();
		}
		catch (SQLException | RuntimeException | Error ex) {
			this.observer.failed(shape, this.sql, System.nanoTime() - start, ex, this.parameters);
			throw ex;
		}
		this.observer.succeeded(shape, this.sql, System.nanoTime() - start, this.parameters);
		return result;
	}

	@Override
	public int executeUpdate() throws SQLException {
		StatementShape shape = this.shape;
		int result;
		long start = System.nanoTime();
		try {
			result = this.preparedDelegate.executeUpdate();
		}
		catch (SQLException | RuntimeException | Error ex) {
			this.observer.failed(shape, this.sql, System.nanoTime() - start, ex, this.parameters);
			throw ex;
		}
		this.observer.succeeded(shape, this.sql, System.nanoTime() - start, this.parameters);
		return result;
	}

	@Override
	public boolean execute() throws SQLException {
		StatementShape shape = this.shape;
		boolean result;
		long start = System.nanoTime();
		try {
			result = this.preparedDelegate.execute();
		}
		catch (SQLException | RuntimeException | Error ex) {
			this.observer.failed(shape, this.sql, System.nanoTime() - start, ex, this.parameters);
			throw ex;
		}
		this.observer.succeeded(shape, this.sql, System.nanoTime() - start, this.parameters);
		return result;
	}

	@Override
	public long executeLargeUpdate() throws SQLException {
		StatementShape shape = this.shape;
		long result;
		long start = System.nanoTime();
		try {
			result = this.preparedDelegate.executeLargeUpdate();
		}
		catch (SQLException | RuntimeException | Error ex) {
			this.observer.failed(shape, this.sql, System.nanoTime() - start, ex, this.parameters);
			throw ex;
		}
		this.observer.succeeded(shape, this.sql, System.nanoTime() - start, this.parameters);
		return result;
	}

	@Override
	public int[] executeBatch() throws SQLException {
		StatementShape shape = this.shape;
		int[] result;
		long start = System.nanoTime();
		try {
			result = this.preparedDelegate.executeBatch();
		}
		catch (SQLException | RuntimeException | Error ex) {
			this.observer.failed(shape, this.sql, System.nanoTime() - start, ex, this.parameters);
			throw ex;
		}
		this.observer.succeeded(shape, this.sql, System.nanoTime() - start, this.parameters);
		return result;
	}

	@Override
	public long[] executeLargeBatch() throws SQLException {
		StatementShape shape = this.shape;
		long[] result;
		long start = System.nanoTime();
		try {
			result = this.preparedDelegate.executeLargeBatch();
		}
		catch (SQLException | RuntimeException | Error ex) {
			this.observer.failed(shape, this.sql, System.nanoTime() - start, ex, this.parameters);
			throw ex;
		}
		this.observer.succeeded(shape, this.sql, System.nanoTime() - start, this.parameters);
		return result;
	}

	@Override
	public void clearParameters() throws SQLException {
		this.preparedDelegate.clearParameters();
		if (this.parameters != null) {
			this.parameters.clear();
		}
	}

	@Override
	public void addBatch() throws SQLException {
		this.preparedDelegate.addBatch();
	}

	@Override
	public ResultSetMetaData getMetaData() throws SQLException {
		return this.preparedDelegate.getMetaData();
	}

	@Override
	public ParameterMetaData getParameterMetaData() throws SQLException {
		return this.preparedDelegate.getParameterMetaData();
	}

	@Override
	public void setArray(int parameterIndex, Array x) throws SQLException {
		this.preparedDelegate.setArray(parameterIndex, x);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setAsciiStream(int parameterIndex, InputStream x, int length) throws SQLException {
		this.preparedDelegate.setAsciiStream(parameterIndex, x, length);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setAsciiStream(int parameterIndex, InputStream x, long length) throws SQLException {
		this.preparedDelegate.setAsciiStream(parameterIndex, x, length);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setAsciiStream(int parameterIndex, InputStream x) throws SQLException {
		this.preparedDelegate.setAsciiStream(parameterIndex, x);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setBigDecimal(int parameterIndex, BigDecimal x) throws SQLException {
		this.preparedDelegate.setBigDecimal(parameterIndex, x);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setBinaryStream(int parameterIndex, InputStream x, int length) throws SQLException {
		this.preparedDelegate.setBinaryStream(parameterIndex, x, length);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setBinaryStream(int parameterIndex, InputStream x, long length) throws SQLException {
		this.preparedDelegate.setBinaryStream(parameterIndex, x, length);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setBinaryStream(int parameterIndex, InputStream x) throws SQLException {
		this.preparedDelegate.setBinaryStream(parameterIndex, x);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setBlob(int parameterIndex, InputStream inputStream, long length) throws SQLException {
		this.preparedDelegate.setBlob(parameterIndex, inputStream, length);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, inputStream);
		}
	}

	@Override
	public void setBlob(int parameterIndex, InputStream inputStream) throws SQLException {
		this.preparedDelegate.setBlob(parameterIndex, inputStream);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, inputStream);
		}
	}

	@Override
	public void setBlob(int parameterIndex, Blob x) throws SQLException {
		this.preparedDelegate.setBlob(parameterIndex, x);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setBoolean(int parameterIndex, boolean x) throws SQLException {
		this.preparedDelegate.setBoolean(parameterIndex, x);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setByte(int parameterIndex, byte x) throws SQLException {
		this.preparedDelegate.setByte(parameterIndex, x);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setBytes(int parameterIndex, byte[] x) throws SQLException {
		this.preparedDelegate.setBytes(parameterIndex, x);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setCharacterStream(int parameterIndex, Reader reader, int length) throws SQLException {
		this.preparedDelegate.setCharacterStream(parameterIndex, reader, length);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, reader);
		}
	}

	@Override
	public void setCharacterStream(int parameterIndex, Reader reader, long length) throws SQLException {
		this.preparedDelegate.setCharacterStream(parameterIndex, reader, length);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, reader);
		}
	}

	@Override
	public void setCharacterStream(int parameterIndex, Reader reader) throws SQLException {
		this.preparedDelegate.setCharacterStream(parameterIndex, reader);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, reader);
		}
	}

	@Override
	public void setClob(int parameterIndex, Reader reader, long length) throws SQLException {
		this.preparedDelegate.setClob(parameterIndex, reader, length);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, reader);
		}
	}

	@Override
	public void setClob(int parameterIndex, Reader reader) throws SQLException {
		this.preparedDelegate.setClob(parameterIndex, reader);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, reader);
		}
	}

	@Override
	public void setClob(int parameterIndex, Clob x) throws SQLException {
		this.preparedDelegate.setClob(parameterIndex, x);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setDate(int parameterIndex, Date x, Calendar cal) throws SQLException {
		this.preparedDelegate.setDate(parameterIndex, x, cal);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setDate(int parameterIndex, Date x) throws SQLException {
		this.preparedDelegate.setDate(parameterIndex, x);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setDouble(int parameterIndex, double x) throws SQLException {
		this.preparedDelegate.setDouble(parameterIndex, x);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setFloat(int parameterIndex, float x) throws SQLException {
		this.preparedDelegate.setFloat(parameterIndex, x);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setInt(int parameterIndex, int x) throws SQLException {
		this.preparedDelegate.setInt(parameterIndex, x);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setLong(int parameterIndex, long x) throws SQLException {
		this.preparedDelegate.setLong(parameterIndex, x);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setNCharacterStream(int parameterIndex, Reader value, long length) throws SQLException {
		this.preparedDelegate.setNCharacterStream(parameterIndex, value, length);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, value);
		}
	}

	@Override
	public void setNCharacterStream(int parameterIndex, Reader value) throws SQLException {
		this.preparedDelegate.setNCharacterStream(parameterIndex, value);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, value);
		}
	}

	@Override
	public void setNClob(int parameterIndex, Reader reader, long length) throws SQLException {
		this.preparedDelegate.setNClob(parameterIndex, reader, length);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, reader);
		}
	}

	@Override
	public void setNClob(int parameterIndex, Reader reader) throws SQLException {
		this.preparedDelegate.setNClob(parameterIndex, reader);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, reader);
		}
	}

	@Override
	public void setNClob(int parameterIndex, NClob value) throws SQLException {
		this.preparedDelegate.setNClob(parameterIndex, value);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, value);
		}
	}

	@Override
	public void setNString(int parameterIndex, String value) throws SQLException {
		this.preparedDelegate.setNString(parameterIndex, value);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, value);
		}
	}

	@Override
	public void setNull(int parameterIndex, int sqlType, String typeName) throws SQLException {
		this.preparedDelegate.setNull(parameterIndex, sqlType, typeName);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, null);
		}
	}

	@Override
	public void setNull(int parameterIndex, int sqlType) throws SQLException {
		this.preparedDelegate.setNull(parameterIndex, sqlType);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, null);
		}
	}

	@Override
	public void setObject(int parameterIndex, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
		this.preparedDelegate.setObject(parameterIndex, x, targetSqlType, scaleOrLength);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setObject(int parameterIndex, Object x, int targetSqlType) throws SQLException {
		this.preparedDelegate.setObject(parameterIndex, x, targetSqlType);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setObject(int parameterIndex, Object x, SQLType targetSqlType, int scaleOrLength) throws SQLException {
		this.preparedDelegate.setObject(parameterIndex, x, targetSqlType, scaleOrLength);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setObject(int parameterIndex, Object x, SQLType targetSqlType) throws SQLException {
		this.preparedDelegate.setObject(parameterIndex, x, targetSqlType);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setObject(int parameterIndex, Object x) throws SQLException {
		this.preparedDelegate.setObject(parameterIndex, x);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setRef(int parameterIndex, Ref x) throws SQLException {
		this.preparedDelegate.setRef(parameterIndex, x);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setRowId(int parameterIndex, RowId x) throws SQLException {
		this.preparedDelegate.setRowId(parameterIndex, x);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setSQLXML(int parameterIndex, SQLXML xmlObject) throws SQLException {
		this.preparedDelegate.setSQLXML(parameterIndex, xmlObject);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, xmlObject);
		}
	}

	@Override
	public void setShort(int parameterIndex, short x) throws SQLException {
		this.preparedDelegate.setShort(parameterIndex, x);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setString(int parameterIndex, String x) throws SQLException {
		this.preparedDelegate.setString(parameterIndex, x);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setTime(int parameterIndex, Time x, Calendar cal) throws SQLException {
		this.preparedDelegate.setTime(parameterIndex, x, cal);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setTime(int parameterIndex, Time x) throws SQLException {
		this.preparedDelegate.setTime(parameterIndex, x);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setTimestamp(int parameterIndex, Timestamp x, Calendar cal) throws SQLException {
		this.preparedDelegate.setTimestamp(parameterIndex, x, cal);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setTimestamp(int parameterIndex, Timestamp x) throws SQLException {
		this.preparedDelegate.setTimestamp(parameterIndex, x);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	public void setURL(int parameterIndex, URL x) throws SQLException {
		this.preparedDelegate.setURL(parameterIndex, x);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

	@Override
	@Deprecated
	public void setUnicodeStream(int parameterIndex, InputStream x, int length) throws SQLException {
		this.preparedDelegate.setUnicodeStream(parameterIndex, x, length);
		if (this.parameters != null) {
			this.parameters.set(parameterIndex, x);
		}
	}

}
