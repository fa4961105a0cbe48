package dev.dbpool.observe;

import java.io.Closeable;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ConnectionBuilder;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.ShardingKeyBuilder;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * Wraps the pool so that every statement on its connections is observed. Unwraps to the
 * pool ({@code unwrap(HikariDataSource.class)} and Spring Boot's
 * {@code DataSourceUnwrapper} work), and closing it closes the pool.
 *
 * <p>
 * A hand-written delegate rather than datasource-proxy's reflective proxies: measured in
 * {@code docs/benchmarks.md}, the reflective path cost several times the per-query
 * budget.
 */
public final class ObservedDataSource implements DataSource, Closeable {

	private final DataSource delegate;

	private final QueryObserver observer;

	public ObservedDataSource(DataSource delegate, QueryObserver observer) {
		this.delegate = delegate;
		this.observer = observer;
	}

	/** The pool behind this data source. */
	public DataSource getDelegate() {
		return this.delegate;
	}

	public QueryObserver getObserver() {
		return this.observer;
	}

	@Override
	public Connection getConnection() throws SQLException {
		return new ObservedConnection(this.delegate.getConnection(), this.observer);
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return new ObservedConnection(this.delegate.getConnection(username, password), this.observer);
	}

	@Override
	public ConnectionBuilder createConnectionBuilder() throws SQLException {
		ConnectionBuilder builder = this.delegate.createConnectionBuilder();
		return new ConnectionBuilder() {

			@Override
			public ConnectionBuilder user(String username) {
				builder.user(username);
				return this;
			}

			@Override
			public ConnectionBuilder password(String password) {
				builder.password(password);
				return this;
			}

			@Override
			public ConnectionBuilder shardingKey(java.sql.ShardingKey shardingKey) {
				builder.shardingKey(shardingKey);
				return this;
			}

			@Override
			public ConnectionBuilder superShardingKey(java.sql.ShardingKey superShardingKey) {
				builder.superShardingKey(superShardingKey);
				return this;
			}

			@Override
			public Connection build() throws SQLException {
				return new ObservedConnection(builder.build(), ObservedDataSource.this.observer);
			}

		};
	}

	@Override
	public ShardingKeyBuilder createShardingKeyBuilder() throws SQLException {
		return this.delegate.createShardingKeyBuilder();
	}

	@Override
	public PrintWriter getLogWriter() throws SQLException {
		return this.delegate.getLogWriter();
	}

	@Override
	public void setLogWriter(PrintWriter out) throws SQLException {
		this.delegate.setLogWriter(out);
	}

	@Override
	public void setLoginTimeout(int seconds) throws SQLException {
		this.delegate.setLoginTimeout(seconds);
	}

	@Override
	public int getLoginTimeout() throws SQLException {
		return this.delegate.getLoginTimeout();
	}

	@Override
	public Logger getParentLogger() throws SQLFeatureNotSupportedException {
		return this.delegate.getParentLogger();
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> T unwrap(Class<T> iface) throws SQLException {
		if (iface.isInstance(this)) {
			return (T) this;
		}
		if (iface.isInstance(this.delegate)) {
			return (T) this.delegate;
		}
		return this.delegate.unwrap(iface);
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) throws SQLException {
		return iface.isInstance(this) || iface.isInstance(this.delegate) || this.delegate.isWrapperFor(iface);
	}

	/** Close the pool. */
	@Override
	public void close() {
		this.observer.close();
		if (this.delegate instanceof AutoCloseable closeable) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				throw new IllegalStateException("Failed to close data source " + this.observer.dataSourceName(), ex);
			}
		}
	}

	@Override
	public String toString() {
		return "ObservedDataSource[" + this.delegate + "]";
	}

}
