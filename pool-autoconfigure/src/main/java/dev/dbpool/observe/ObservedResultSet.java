package dev.dbpool.observe;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import dev.dbpool.common.ForwardingResultSet;

/**
 * A {@link ResultSet} that leads back to the observed objects: {@link #getStatement()} is
 * the observed statement, and its {@code getConnection()} the observed connection, as
 * with HikariCP's own result-set proxy. Everything else is forwarded.
 */
final class ObservedResultSet implements ForwardingResultSet {

	private final ResultSet delegate;

	private final Statement statement;

	ObservedResultSet(ResultSet delegate, Statement statement) {
		this.delegate = delegate;
		this.statement = statement;
	}

	@Override
	public ResultSet delegate() {
		return this.delegate;
	}

	@Override
	public Statement getStatement() {
		return this.statement;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> T unwrap(Class<T> iface) throws SQLException {
		return iface.isInstance(this) ? (T) this : this.delegate.unwrap(iface);
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) throws SQLException {
		return iface.isInstance(this) || this.delegate.isWrapperFor(iface);
	}

	@Override
	public String toString() {
		return "Observed" + this.delegate;
	}

}
