package dev.dbpool.observe;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/**
 * A {@link CallableStatement} observed like a prepared statement; named parameters are
 * captured by name when parameter capture is on.
 */
final class ObservedCallableStatement extends ObservedPreparedStatement implements CallableStatement {

	private final CallableStatement callableDelegate;

	ObservedCallableStatement(CallableStatement delegate, String sql, ObservedConnection connection,
			QueryObserver observer) {
		super(delegate, sql, connection, observer);
		this.callableDelegate = delegate;
	}

	@Override
	public Array getArray(String parameterName) throws SQLException {
		return this.callableDelegate.getArray(parameterName);
	}

	@Override
	public Array getArray(int parameterIndex) throws SQLException {
		return this.callableDelegate.getArray(parameterIndex);
	}

	@Override
	public BigDecimal getBigDecimal(String parameterName) throws SQLException {
		return this.callableDelegate.getBigDecimal(parameterName);
	}

	@Override
	@Deprecated
	public BigDecimal getBigDecimal(int parameterIndex, int scale) throws SQLException {
		return this.callableDelegate.getBigDecimal(parameterIndex, scale);
	}

	@Override
	public BigDecimal getBigDecimal(int parameterIndex) throws SQLException {
		return this.callableDelegate.getBigDecimal(parameterIndex);
	}

	@Override
	public Blob getBlob(String parameterName) throws SQLException {
		return this.callableDelegate.getBlob(parameterName);
	}

	@Override
	public Blob getBlob(int parameterIndex) throws SQLException {
		return this.callableDelegate.getBlob(parameterIndex);
	}

	@Override
	public boolean getBoolean(String parameterName) throws SQLException {
		return this.callableDelegate.getBoolean(parameterName);
	}

	@Override
	public boolean getBoolean(int parameterIndex) throws SQLException {
		return this.callableDelegate.getBoolean(parameterIndex);
	}

	@Override
	public byte getByte(String parameterName) throws SQLException {
		return this.callableDelegate.getByte(parameterName);
	}

	@Override
	public byte getByte(int parameterIndex) throws SQLException {
		return this.callableDelegate.getByte(parameterIndex);
	}

	@Override
	public byte[] getBytes(String parameterName) throws SQLException {
		return this.callableDelegate.getBytes(parameterName);
	}

	@Override
	public byte[] getBytes(int parameterIndex) throws SQLException {
		return this.callableDelegate.getBytes(parameterIndex);
	}

	@Override
	public Reader getCharacterStream(String parameterName) throws SQLException {
		return this.callableDelegate.getCharacterStream(parameterName);
	}

	@Override
	public Reader getCharacterStream(int parameterIndex) throws SQLException {
		return this.callableDelegate.getCharacterStream(parameterIndex);
	}

	@Override
	public Clob getClob(String parameterName) throws SQLException {
		return this.callableDelegate.getClob(parameterName);
	}

	@Override
	public Clob getClob(int parameterIndex) throws SQLException {
		return this.callableDelegate.getClob(parameterIndex);
	}

	@Override
	public Date getDate(String parameterName, Calendar cal) throws SQLException {
		return this.callableDelegate.getDate(parameterName, cal);
	}

	@Override
	public Date getDate(String parameterName) throws SQLException {
		return this.callableDelegate.getDate(parameterName);
	}

	@Override
	public Date getDate(int parameterIndex, Calendar cal) throws SQLException {
		return this.callableDelegate.getDate(parameterIndex, cal);
	}

	@Override
	public Date getDate(int parameterIndex) throws SQLException {
		return this.callableDelegate.getDate(parameterIndex);
	}

	@Override
	public double getDouble(String parameterName) throws SQLException {
		return this.callableDelegate.getDouble(parameterName);
	}

	@Override
	public double getDouble(int parameterIndex) throws SQLException {
		return this.callableDelegate.getDouble(parameterIndex);
	}

	@Override
	public float getFloat(String parameterName) throws SQLException {
		return this.callableDelegate.getFloat(parameterName);
	}

	@Override
	public float getFloat(int parameterIndex) throws SQLException {
		return this.callableDelegate.getFloat(parameterIndex);
	}

	@Override
	public int getInt(String parameterName) throws SQLException {
		return this.callableDelegate.getInt(parameterName);
	}

	@Override
	public int getInt(int parameterIndex) throws SQLException {
		return this.callableDelegate.getInt(parameterIndex);
	}

	@Override
	public long getLong(String parameterName) throws SQLException {
		return this.callableDelegate.getLong(parameterName);
	}

	@Override
	public long getLong(int parameterIndex) throws SQLException {
		return this.callableDelegate.getLong(parameterIndex);
	}

	@Override
	public Reader getNCharacterStream(String parameterName) throws SQLException {
		return this.callableDelegate.getNCharacterStream(parameterName);
	}

	@Override
	public Reader getNCharacterStream(int parameterIndex) throws SQLException {
		return this.callableDelegate.getNCharacterStream(parameterIndex);
	}

	@Override
	public NClob getNClob(String parameterName) throws SQLException {
		return this.callableDelegate.getNClob(parameterName);
	}

	@Override
	public NClob getNClob(int parameterIndex) throws SQLException {
		return this.callableDelegate.getNClob(parameterIndex);
	}

	@Override
	public String getNString(String parameterName) throws SQLException {
		return this.callableDelegate.getNString(parameterName);
	}

	@Override
	public String getNString(int parameterIndex) throws SQLException {
		return this.callableDelegate.getNString(parameterIndex);
	}

	@Override
	public <T> T getObject(String parameterName, Class<T> type) throws SQLException {
		return this.callableDelegate.getObject(parameterName, type);
	}

	@Override
	public Object getObject(String parameterName, Map<String, Class<?>> map) throws SQLException {
		return this.callableDelegate.getObject(parameterName, map);
	}

	@Override
	public Object getObject(String parameterName) throws SQLException {
		return this.callableDelegate.getObject(parameterName);
	}

	@Override
	public <T> T getObject(int parameterIndex, Class<T> type) throws SQLException {
		return this.callableDelegate.getObject(parameterIndex, type);
	}

	@Override
	public Object getObject(int parameterIndex, Map<String, Class<?>> map) throws SQLException {
		return this.callableDelegate.getObject(parameterIndex, map);
	}

	@Override
	public Object getObject(int parameterIndex) throws SQLException {
		return this.callableDelegate.getObject(parameterIndex);
	}

	@Override
	public Ref getRef(String parameterName) throws SQLException {
		return this.callableDelegate.getRef(parameterName);
	}

	@Override
	public Ref getRef(int parameterIndex) throws SQLException {
		return this.callableDelegate.getRef(parameterIndex);
	}

	@Override
	public RowId getRowId(String parameterName) throws SQLException {
		return this.callableDelegate.getRowId(parameterName);
	}

	@Override
	public RowId getRowId(int parameterIndex) throws SQLException {
		return this.callableDelegate.getRowId(parameterIndex);
	}

	@Override
	public SQLXML getSQLXML(String parameterName) throws SQLException {
		return this.callableDelegate.getSQLXML(parameterName);
	}

	@Override
	public SQLXML getSQLXML(int parameterIndex) throws SQLException {
		return this.callableDelegate.getSQLXML(parameterIndex);
	}

	@Override
	public short getShort(String parameterName) throws SQLException {
		return this.callableDelegate.getShort(parameterName);
	}

	@Override
	public short getShort(int parameterIndex) throws SQLException {
		return this.callableDelegate.getShort(parameterIndex);
	}

	@Override
	public String getString(String parameterName) throws SQLException {
		return this.callableDelegate.getString(parameterName);
	}

	@Override
	public String getString(int parameterIndex) throws SQLException {
		return this.callableDelegate.getString(parameterIndex);
	}

	@Override
	public Time getTime(String parameterName, Calendar cal) throws SQLException {
		return this.callableDelegate.getTime(parameterName, cal);
	}

	@Override
	public Time getTime(String parameterName) throws SQLException {
		return this.callableDelegate.getTime(parameterName);
	}

	@Override
	public Time getTime(int parameterIndex, Calendar cal) throws SQLException {
		return this.callableDelegate.getTime(parameterIndex, cal);
	}

	@Override
	public Time getTime(int parameterIndex) throws SQLException {
		return this.callableDelegate.getTime(parameterIndex);
	}

	@Override
	public Timestamp getTimestamp(String parameterName, Calendar cal) throws SQLException {
		return this.callableDelegate.getTimestamp(parameterName, cal);
	}

	@Override
	public Timestamp getTimestamp(String parameterName) throws SQLException {
		return this.callableDelegate.getTimestamp(parameterName);
	}

	@Override
	public Timestamp getTimestamp(int parameterIndex, Calendar cal) throws SQLException {
		return this.callableDelegate.getTimestamp(parameterIndex, cal);
	}

	@Override
	public Timestamp getTimestamp(int parameterIndex) throws SQLException {
		return this.callableDelegate.getTimestamp(parameterIndex);
	}

	@Override
	public URL getURL(String parameterName) throws SQLException {
		return this.callableDelegate.getURL(parameterName);
	}

	@Override
	public URL getURL(int parameterIndex) throws SQLException {
		return this.callableDelegate.getURL(parameterIndex);
	}

	@Override
	public void registerOutParameter(String parameterName, int sqlType, String typeName) throws SQLException {
		this.callableDelegate.registerOutParameter(parameterName, sqlType, typeName);
	}

	@Override
	public void registerOutParameter(String parameterName, int sqlType, int scale) throws SQLException {
		this.callableDelegate.registerOutParameter(parameterName, sqlType, scale);
	}

	@Override
	public void registerOutParameter(String parameterName, int sqlType) throws SQLException {
		this.callableDelegate.registerOutParameter(parameterName, sqlType);
	}

	@Override
	public void registerOutParameter(String parameterName, SQLType sqlType, String typeName) throws SQLException {
		this.callableDelegate.registerOutParameter(parameterName, sqlType, typeName);
	}

	@Override
	public void registerOutParameter(String parameterName, SQLType sqlType, int scale) throws SQLException {
		this.callableDelegate.registerOutParameter(parameterName, sqlType, scale);
	}

	@Override
	public void registerOutParameter(String parameterName, SQLType sqlType) throws SQLException {
		this.callableDelegate.registerOutParameter(parameterName, sqlType);
	}

	@Override
	public void registerOutParameter(int parameterIndex, int sqlType, String typeName) throws SQLException {
		this.callableDelegate.registerOutParameter(parameterIndex, sqlType, typeName);
	}

	@Override
	public void registerOutParameter(int parameterIndex, int sqlType, int scale) throws SQLException {
		this.callableDelegate.registerOutParameter(parameterIndex, sqlType, scale);
	}

	@Override
	public void registerOutParameter(int parameterIndex, int sqlType) throws SQLException {
		this.callableDelegate.registerOutParameter(parameterIndex, sqlType);
	}

	@Override
	public void registerOutParameter(int parameterIndex, SQLType sqlType, String typeName) throws SQLException {
		this.callableDelegate.registerOutParameter(parameterIndex, sqlType, typeName);
	}

	@Override
	public void registerOutParameter(int parameterIndex, SQLType sqlType, int scale) throws SQLException {
		this.callableDelegate.registerOutParameter(parameterIndex, sqlType, scale);
	}

	@Override
	public void registerOutParameter(int parameterIndex, SQLType sqlType) throws SQLException {
		this.callableDelegate.registerOutParameter(parameterIndex, sqlType);
	}

	@Override
	public void setAsciiStream(String parameterName, InputStream x, int length) throws SQLException {
		this.callableDelegate.setAsciiStream(parameterName, x, length);
		if (this.parameters != null) {
			this.parameters.set(parameterName, x);
		}
	}

	@Override
	public void setAsciiStream(String parameterName, InputStream x, long length) throws SQLException {
		this.callableDelegate.setAsciiStream(parameterName, x, length);
		if (this.parameters != null) {
			this.parameters.set(parameterName, x);
		}
	}

	@Override
	public void setAsciiStream(String parameterName, InputStream x) throws SQLException {
		this.callableDelegate.setAsciiStream(parameterName, x);
		if (this.parameters != null) {
			this.parameters.set(parameterName, x);
		}
	}

	@Override
	public void setBigDecimal(String parameterName, BigDecimal x) throws SQLException {
		this.callableDelegate.setBigDecimal(parameterName, x);
		if (this.parameters != null) {
			this.parameters.set(parameterName, x);
		}
	}

	@Override
	public void setBinaryStream(String parameterName, InputStream x, int length) throws SQLException {
		this.callableDelegate.setBinaryStream(parameterName, x, length);
		if (this.parameters != null) {
			this.parameters.set(parameterName, x);
		}
	}

	@Override
	public void setBinaryStream(String parameterName, InputStream x, long length) throws SQLException {
		this.callableDelegate.setBinaryStream(parameterName, x, length);
		if (this.parameters != null) {
			this.parameters.set(parameterName, x);
		}
	}

	@Override
	public void setBinaryStream(String parameterName, InputStream x) throws SQLException {
		this.callableDelegate.setBinaryStream(parameterName, x);
		if (this.parameters != null) {
			this.parameters.set(parameterName, x);
		}
	}

	@Override
	public void setBlob(String parameterName, InputStream inputStream, long length) throws SQLException {
		this.callableDelegate.setBlob(parameterName, inputStream, length);
		if (this.parameters != null) {
			this.parameters.set(parameterName, inputStream);
		}
	}

	@Override
	public void setBlob(String parameterName, InputStream inputStream) throws SQLException {
		this.callableDelegate.setBlob(parameterName, inputStream);
		if (this.parameters != null) {
			this.parameters.set(parameterName, inputStream);
		}
	}

	@Override
	public void setBlob(String parameterName, Blob x) throws SQLException {
		this.callableDelegate.setBlob(parameterName, x);
		if (this.parameters != null) {
			this.parameters.set(parameterName, x);
		}
	}

	@Override
	public void setBoolean(String parameterName, boolean x) throws SQLException {
		this.callableDelegate.setBoolean(parameterName, x);
		if (this.parameters != null) {
			this.parameters.set(parameterName, x);
		}
	}

	@Override
	public void setByte(String parameterName, byte x) throws SQLException {
		this.callableDelegate.setByte(parameterName, x);
		if (this.parameters != null) {
			this.parameters.set(parameterName, x);
		}
	}

	@Override
	public void setBytes(String parameterName, byte[] x) throws SQLException {
		this.callableDelegate.setBytes(parameterName, x);
		if (this.parameters != null) {
			this.parameters.set(parameterName, x);
		}
	}

	@Override
	public void setCharacterStream(String parameterName, Reader reader, int length) throws SQLException {
		this.callableDelegate.setCharacterStream(parameterName, reader, length);
		if (this.parameters != null) {
			this.parameters.set(parameterName, reader);
		}
	}

	@Override
	public void setCharacterStream(String parameterName, Reader reader, long length) throws SQLException {
		this.callableDelegate.setCharacterStream(parameterName, reader, length);
		if (this.parameters != null) {
			this.parameters.set(parameterName, reader);
		}
	}

	@Override
	public void setCharacterStream(String parameterName, Reader reader) throws SQLException {
		this.callableDelegate.setCharacterStream(parameterName, reader);
		if (this.parameters != null) {
			this.parameters.set(parameterName, reader);
		}
	}

	@Override
	public void setClob(String parameterName, Reader reader, long length) throws SQLException {
		this.callableDelegate.setClob(parameterName, reader, length);
		if (this.parameters != null) {
			this.parameters.set(parameterName, reader);
		}
	}

	@Override
	public void setClob(String parameterName, Reader reader) throws SQLException {
		this.callableDelegate.setClob(parameterName, reader);
		if (this.parameters != null) {
			this.parameters.set(parameterName, reader);
		}
	}

	@Override
	public void setClob(String parameterName, Clob x) throws SQLException {
		this.callableDelegate.setClob(parameterName, x);
		if (this.parameters != null) {
			this.parameters.set(parameterName, x);
		}
	}

	@Override
	public void setDate(String parameterName, Date x, Calendar cal) throws SQLException {
		this.callableDelegate.setDate(parameterName, x, cal);
		if (this.parameters != null) {
			this.parameters.set(parameterName, x);
		}
	}

	@Override
	public void setDate(String parameterName, Date x) throws SQLException {
		this.callableDelegate.setDate(parameterName, x);
		if (this.parameters != null) {
			this.parameters.set(parameterName, x);
		}
	}

	@Override
	public void setDouble(String parameterName, double x) throws SQLException {
		this.callableDelegate.setDouble(parameterName, x);
		if (this.parameters != null) {
			this.parameters.set(parameterName, x);
		}
	}

	@Override
	public void setFloat(String parameterName, float x) throws SQLException {
		this.callableDelegate.setFloat(parameterName, x);
		if (this.parameters != null) {
			this.parameters.set(parameterName, x);
		}
	}

	@Override
	public void setInt(String parameterName, int x) throws SQLException {
		this.callableDelegate.setInt(parameterName, x);
		if (this.parameters != null) {
			this.parameters.set(parameterName, x);
		}
	}

	@Override
	public void setLong(String parameterName, long x) throws SQLException {
		this.callableDelegate.setLong(parameterName, x);
		if (this.parameters != null) {
			this.parameters.set(parameterName, x);
		}
	}

	@Override
	public void setNCharacterStream(String parameterName, Reader value, long length) throws SQLException {
		this.callableDelegate.setNCharacterStream(parameterName, value, length);
		if (this.parameters != null) {
			this.parameters.set(parameterName, value);
		}
	}

	@Override
	public void setNCharacterStream(String parameterName, Reader value) throws SQLException {
		this.callableDelegate.setNCharacterStream(parameterName, value);
		if (this.parameters != null) {
			this.parameters.set(parameterName, value);
		}
	}

	@Override
	public void setNClob(String parameterName, Reader reader, long length) throws SQLException {
		this.callableDelegate.setNClob(parameterName, reader, length);
		if (this.parameters != null) {
			this.parameters.set(parameterName, reader);
		}
	}

	@Override
	public void setNClob(String parameterName, Reader reader) throws SQLException {
		this.callableDelegate.setNClob(parameterName, reader);
		if (this.parameters != null) {
			this.parameters.set(parameterName, reader);
		}
	}

	@Override
	public void setNClob(String parameterName, NClob value) throws SQLException {
		this.callableDelegate.setNClob(parameterName, value);
		if (this.parameters != null) {
			this.parameters.set(parameterName, value);
		}
	}

	@Override
	public void setNString(String parameterName, String value) throws SQLException {
		this.callableDelegate.setNString(parameterName, value);
		if (this.parameters != null) {
			this.parameters.set(parameterName, value);
		}
	}

	@Override
	public void setNull(String parameterName, int sqlType, String typeName) throws SQLException {
		this.callableDelegate.setNull(parameterName, sqlType, typeName);
		if (this.parameters != null) {
			this.parameters.set(parameterName, null);
		}
	}

	@Override
	public void setNull(String parameterName, int sqlType) throws SQLException {
		this.callableDelegate.setNull(parameterName, sqlType);
		if (this.parameters != null) {
			this.parameters.set(parameterName, null);
		}
	}

	@Override
	public void setObject(String parameterName, Object x, int targetSqlType, int scale) throws SQLException {
		this.callableDelegate.setObject(parameterName, x, targetSqlType, scale);
		if (this.parameters != null) {
			this.parameters.set(parameterName, x);
		}
	}

	@Override
	public void setObject(String parameterName, Object x, int targetSqlType) throws SQLException {
		this.callableDelegate.setObject(parameterName, x, targetSqlType);
		if (this.parameters != null) {
			this.parameters.set(parameterName, x);
		}
	}

	@Override
	public void setObject(String parameterName, Object x, SQLType targetSqlType, int scaleOrLength)
			throws SQLException {
		this.callableDelegate.setObject(parameterName, x, targetSqlType, scaleOrLength);
		if (this.parameters != null) {
			this.parameters.set(parameterName, x);
		}
	}

	@Override
	public void setObject(String parameterName, Object x, SQLType targetSqlType) throws SQLException {
		this.callableDelegate.setObject(parameterName, x, targetSqlType);
		if (this.parameters != null) {
			this.parameters.set(parameterName, x);
		}
	}

	@Override
	public void setObject(String parameterName, Object x) throws SQLException {
		this.callableDelegate.setObject(parameterName, x);
		if (this.parameters != null) {
			this.parameters.set(parameterName, x);
		}
	}

	@Override
	public void setRowId(String parameterName, RowId x) throws SQLException {
		this.callableDelegate.setRowId(parameterName, x);
		if (this.parameters != null) {
			this.parameters.set(parameterName, x);
		}
	}

	@Override
	public void setSQLXML(String parameterName, SQLXML xmlObject) throws SQLException {
		this.callableDelegate.setSQLXML(parameterName, xmlObject);
		if (this.parameters != null) {
			this.parameters.set(parameterName, xmlObject);
		}
	}

	@Override
	public void setShort(String parameterName, short x) throws SQLException {
		this.callableDelegate.setShort(parameterName, x);
		if (this.parameters != null) {
			this.parameters.set(parameterName, x);
		}
	}

	@Override
	public void setString(String parameterName, String x) throws SQLException {
		this.callableDelegate.setString(parameterName, x);
		if (this.parameters != null) {
			this.parameters.set(parameterName, x);
		}
	}

	@Override
	public void setTime(String parameterName, Time x, Calendar cal) throws SQLException {
		this.callableDelegate.setTime(parameterName, x, cal);
		if (this.parameters != null) {
			this.parameters.set(parameterName, x);
		}
	}

	@Override
	public void setTime(String parameterName, Time x) throws SQLException {
		this.callableDelegate.setTime(parameterName, x);
		if (this.parameters != null) {
			this.parameters.set(parameterName, x);
		}
	}

	@Override
	public void setTimestamp(String parameterName, Timestamp x, Calendar cal) throws SQLException {
		this.callableDelegate.setTimestamp(parameterName, x, cal);
		if (this.parameters != null) {
			this.parameters.set(parameterName, x);
		}
	}

	@Override
	public void setTimestamp(String parameterName, Timestamp x) throws SQLException {
		this.callableDelegate.setTimestamp(parameterName, x);
		if (this.parameters != null) {
			this.parameters.set(parameterName, x);
		}
	}

	@Override
	public void setURL(String parameterName, URL val) throws SQLException {
		this.callableDelegate.setURL(parameterName, val);
		if (this.parameters != null) {
			this.parameters.set(parameterName, val);
		}
	}

	@Override
	public boolean wasNull() throws SQLException {
		return this.callableDelegate.wasNull();
	}

}
