package dev.dbpool.observe;

import java.io.Closeable;
import java.sql.Connection;
import java.sql.ConnectionBuilder;
import java.sql.SQLException;
import java.sql.ShardingKey;

import javax.sql.DataSource;

import dev.dbpool.common.ForwardingDataSource;

/**
 * Wraps the pool so that every statement on its connections is observed (and, when
 * traced, every connection acquisition). Unwraps to the pool
 * ({@code unwrap(HikariDataSource.class)} and Spring Boot's {@code DataSourceUnwrapper}
 * work), and closing it closes the pool. Everything else is forwarded by
 * {@link ForwardingDataSource}.
 *
 * <p>
 * Hand-written delegates rather than datasource-proxy's reflective proxies: measured in
 * {@code docs/benchmarks.md}, the reflective path cost several times the per-query
 * budget.
 */
public final class ObservedDataSource implements ForwardingDataSource, Closeable {

	private final DataSource delegate;

	private final QueryObserver observer;

	private final Instrumentation instrumentation;

	private final ParameterCapture capture;

	/**
	 * Observe a pool with statement timing only (no tracing).
	 * @param delegate the pool
	 * @param observer where statements are reported
	 */
	public ObservedDataSource(DataSource delegate, QueryObserver observer) {
		this(delegate, observer, TimedInstrumentation.INSTANCE);
	}

	ObservedDataSource(DataSource delegate, QueryObserver observer, Instrumentation instrumentation) {
		this.delegate = delegate;
		this.observer = observer;
		this.instrumentation = instrumentation;
		this.capture = ParameterCapture.of(observer.capturesParameters());
	}

	/** The pool behind this data source. */
	public DataSource getDelegate() {
		return this.delegate;
	}

	@Override
	public DataSource delegate() {
		return this.delegate;
	}

	public QueryObserver getObserver() {
		return this.observer;
	}

	/** What surrounds each execution, as chosen when the pool was built. */
	Instrumentation instrumentation() {
		return this.instrumentation;
	}

	private Connection observed(Connection connection) {
		return new ObservedConnection(connection, this.observer, this.instrumentation, this.capture);
	}

	@Override
	public Connection getConnection() throws SQLException {
		return observed(this.instrumentation.acquire(this.delegate, DataSource::getConnection));
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return observed(this.instrumentation.acquire(this.delegate, (pool) -> pool.getConnection(username, password)));
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
			public ConnectionBuilder shardingKey(ShardingKey shardingKey) {
				builder.shardingKey(shardingKey);
				return this;
			}

			@Override
			public ConnectionBuilder superShardingKey(ShardingKey superShardingKey) {
				builder.superShardingKey(superShardingKey);
				return this;
			}

			@Override
			public Connection build() throws SQLException {
				return observed(ObservedDataSource.this.instrumentation.acquire(ObservedDataSource.this.delegate,
						(pool) -> builder.build()));
			}

		};
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
