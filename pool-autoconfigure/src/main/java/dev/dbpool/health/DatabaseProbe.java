package dev.dbpool.health;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executor;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;

/**
 * Runs {@code SELECT 1} on a connection of its own, in a one-connection HikariCP pool
 * built from the application pool's connection settings but with short timeouts. The
 * probe therefore never queues behind application work for a pooled connection, and a
 * saturated application pool cannot make the database look dead. It costs one extra
 * server connection per application instance, opened on the first check.
 */
public final class DatabaseProbe implements AutoCloseable {

	private static final long MIN_TIMEOUT_MILLIS = 250;

	private static final String POSTGRESQL_URL_PREFIX = "jdbc:postgresql:";

	private final HikariDataSource applicationPool;

	private final long connectTimeoutMillis;

	private final long validationTimeoutMillis;

	private final int queryTimeoutMillis;

	private final Executor networkTimeoutExecutor = Runnable::run;

	private final Object lock = new Object();

	private @Nullable HikariDataSource probePool;

	private boolean closed;

	/**
	 * Create a probe for a pool.
	 * @param applicationPool the pool whose database is probed; only its connection
	 * settings are read
	 * @param timeout the health timeout; connecting gets half of it, the query the rest
	 */
	public DatabaseProbe(HikariDataSource applicationPool, Duration timeout) {
		this.applicationPool = applicationPool;
		long half = Math.max(MIN_TIMEOUT_MILLIS, timeout.toMillis() / 2);
		this.connectTimeoutMillis = half;
		this.validationTimeoutMillis = Math.max(MIN_TIMEOUT_MILLIS, half / 2);
		this.queryTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, half);
	}

	/**
	 * Probe the database once. Bounded by the driver timeouts derived from the health
	 * timeout; callers that must answer on time run it through a
	 * {@link SingleFlightProbe}.
	 * @return the result
	 */
	public ProbeResult probe() {
		HikariDataSource pool = probePool();
		if (pool == null) {
			return new ProbeResult(ProbeResult.Outcome.FAILED, 0, null, "connection pool is closed");
		}
		long start = System.nanoTime();
		try (Connection connection = pool.getConnection()) {
			connection.setNetworkTimeout(this.networkTimeoutExecutor, this.queryTimeoutMillis);
			try (Statement statement = connection.createStatement();
					ResultSet result = statement.executeQuery("SELECT 1")) {
				result.next();
			}
			return ProbeResult.answered(System.nanoTime() - start);
		}
		catch (SQLException | RuntimeException ex) {
			return ProbeResult.failed(ex);
		}
	}

	private @Nullable HikariDataSource probePool() {
		synchronized (this.lock) {
			if (this.closed || this.applicationPool.isClosed()) {
				return null;
			}
			if (this.probePool == null) {
				this.probePool = new HikariDataSource(probeConfig());
			}
			return this.probePool;
		}
	}

	HikariConfig probeConfig() {
		HikariDataSource source = this.applicationPool;
		HikariConfig config = new HikariConfig();
		config.setPoolName(PoolStatistics.nameOf(source) + "-health");
		// The starter's own pools keep their URL next to the driver-level DataSource;
		// the probe connects by URL with its own short timeouts.
		if (source.getDataSource() != null && source.getJdbcUrl() == null) {
			config.setDataSource(source.getDataSource());
		}
		else if (source.getDataSourceClassName() != null) {
			config.setDataSourceClassName(source.getDataSourceClassName());
		}
		else if (source.getDataSourceJNDI() != null) {
			config.setDataSourceJNDI(source.getDataSourceJNDI());
		}
		else {
			config.setJdbcUrl(source.getJdbcUrl());
			if (source.getDriverClassName() != null) {
				config.setDriverClassName(source.getDriverClassName());
			}
		}
		if (source.getCredentialsProvider() != null) {
			config.setCredentialsProvider(source.getCredentialsProvider());
		}
		else {
			config.setUsername(source.getUsername());
			config.setPassword(source.getPassword());
		}
		// A copy: HikariConfig shares the Properties object it is given.
		Properties properties = new Properties();
		properties.putAll(source.getDataSourceProperties());
		if (source.getJdbcUrl() != null && source.getJdbcUrl().startsWith(POSTGRESQL_URL_PREFIX)) {
			String connectSeconds = Long
				.toString(Math.max(1, Duration.ofMillis(this.connectTimeoutMillis).toSeconds()));
			properties.setProperty("connectTimeout", connectSeconds);
			properties.setProperty("loginTimeout", connectSeconds);
		}
		config.setDataSourceProperties(properties);
		if (source.getConnectionInitSql() != null) {
			config.setConnectionInitSql(source.getConnectionInitSql());
		}
		if (source.getSchema() != null) {
			config.setSchema(source.getSchema());
		}
		if (source.getCatalog() != null) {
			config.setCatalog(source.getCatalog());
		}
		if (source.getThreadFactory() != null) {
			config.setThreadFactory(source.getThreadFactory());
		}
		config.setMaximumPoolSize(1);
		config.setMinimumIdle(1);
		config.setConnectionTimeout(this.connectTimeoutMillis);
		config.setValidationTimeout(this.validationTimeoutMillis);
		config.setKeepaliveTime(source.getKeepaliveTime());
		config.setMaxLifetime(source.getMaxLifetime());
		config.setLeakDetectionThreshold(0);
		// Start even when the database is down: reporting that is the probe's job.
		config.setInitializationFailTimeout(-1);
		config.setRegisterMbeans(false);
		config.setAutoCommit(true);
		return config;
	}

	@Override
	public void close() {
		HikariDataSource pool;
		synchronized (this.lock) {
			this.closed = true;
			pool = this.probePool;
			this.probePool = null;
		}
		if (pool != null) {
			pool.close();
		}
	}

}
