package dev.dbpool.observe;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import dev.dbpool.common.ForwardingPreparedStatement;
import org.jspecify.annotations.Nullable;

/**
 * A {@link PreparedStatement} whose execute calls are observed under the shape resolved
 * once, when it was prepared. Parameter setters are plain forwards; the capturing variant
 * is {@link CapturingPreparedStatement}.
 */
class ObservedPreparedStatement extends ObservedStatement implements ForwardingPreparedStatement {

	private final PreparedStatement preparedDelegate;

	final String sql;

	private final StatementShape shape;

	ObservedPreparedStatement(PreparedStatement delegate, String sql, ObservedConnection connection,
			@Nullable ParameterValues parameters) {
		super(delegate, connection, parameters);
		this.preparedDelegate = delegate;
		this.sql = sql;
		this.shape = connection.observer.shapeOf(sql);
	}

	@Override
	public PreparedStatement delegate() {
		return this.preparedDelegate;
	}

	private <T> T observe(StatementCall<PreparedStatement, T> call) throws SQLException {
		return observe(this.preparedDelegate, this.sql, this.shape, call);
	}

	@Override
	public ResultSet executeQuery() throws SQLException {
		return new ObservedResultSet(observe((statement, sql) -> statement.executeQuery()), this);
	}

	@Override
	public int executeUpdate() throws SQLException {
		return observe((statement, sql) -> statement.executeUpdate());
	}

	@Override
	public boolean execute() throws SQLException {
		return observe((statement, sql) -> statement.execute());
	}

	@Override
	public long executeLargeUpdate() throws SQLException {
		return observe((statement, sql) -> statement.executeLargeUpdate());
	}

	@Override
	public int[] executeBatch() throws SQLException {
		return observe((statement, sql) -> statement.executeBatch());
	}

	@Override
	public long[] executeLargeBatch() throws SQLException {
		return observe((statement, sql) -> statement.executeLargeBatch());
	}

}
