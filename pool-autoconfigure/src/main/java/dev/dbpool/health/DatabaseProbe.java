package dev.dbpool.health;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executor;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool;
import org.jspecify.annotations.Nullable;

/**
 * Runs {@code SELECT 1} on one of the application pool's own connections when the pool
 * can lend one within a short wait, so that a pool that serves is ready whatever the
 * server thinks of fresh connections (no free slots, 53300) and the probe holds no
 * connection beyond the pool's connection limit. When the pool cannot lend one (every
 * connection busy), it asks on a connection of its own, opened for that probe and closed
 * after it, so a busy pool whose database answers stays ready and says it is saturated. A
 * pool that has not lent a connection for longer than its dead-connection bound (the
 * socket timeout: query timeout + 10 s at most) is stuck, or its borrowers are timing
 * out: not ready, whatever a fresh connection says.
 */
public final class DatabaseProbe implements AutoCloseable {

	private static final long MIN_TIMEOUT_MILLIS = 250;

	private static final String POSTGRESQL_URL_PREFIX = "jdbc:postgresql:";

	/** too_many_connections: the server has no free connection slot. */
	private static final String TOO_MANY_CONNECTIONS = "53300";

	private final HikariDataSource applicationPool;

	private final long connectTimeoutMillis;

	private final long validationTimeoutMillis;

	private final int queryTimeoutMillis;

	private final long borrowWaitMillis;

	private final long stuckAfterNanos;

	/** Stuck bound when the pool has no socket timeout: default query timeout + 10 s. */
	private static final long DEFAULT_STUCK_AFTER_SECONDS = 40;

	private final Executor networkTimeoutExecutor = Runnable::run;

	private final Object lock = new Object();

	private @Nullable HikariDataSource probePool;

	/** Since when the pool could not lend the probe a connection; 0 when it could. */
	private volatile long unableToLendSince;

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
		this.borrowWaitMillis = Math.max(MIN_TIMEOUT_MILLIS, timeout.toMillis() / 4);
		String socketTimeout = applicationPool.getDataSourceProperties().getProperty("socketTimeout", "0").trim();
		long bound = socketTimeout.matches("\\d+") ? Long.parseLong(socketTimeout) : 0;
		this.stuckAfterNanos = Duration.ofSeconds((bound > 0) ? bound : DEFAULT_STUCK_AFTER_SECONDS).toNanos();
	}

	/**
	 * Probe the database once. Bounded by the driver timeouts derived from the health
	 * timeout; callers that must answer on time run it through a
	 * {@link SingleFlightProbe}.
	 * @return the result
	 */
	public ProbeResult probe() {
		long start = System.nanoTime();
		HikariPoolMXBean state = this.applicationPool.getHikariPoolMXBean();
		if (state instanceof HikariPool applicationConnections && !this.applicationPool.isClosed()) {
			try (Connection connection = applicationConnections.getConnection(this.borrowWaitMillis)) {
				this.unableToLendSince = 0;
				return select(connection, start);
			}
			catch (SQLTransientConnectionException ex) {
				// Nothing to lend: every connection is busy, or none can be opened.
			}
			catch (SQLException | RuntimeException ex) {
				return ProbeResult.failed(ex);
			}
			long since = this.unableToLendSince;
			if (since == 0) {
				this.unableToLendSince = start;
			}
			else if (state.getTotalConnections() > 0 && start - since > this.stuckAfterNanos) {
				return new ProbeResult(ProbeResult.Outcome.FAILED, 0, null,
						"no connection of the pool came free for " + Duration.ofNanos(start - since).toSeconds()
								+ " s, longer than a statement may take (socket timeout): its connections are stuck "
								+ "or its borrowers are timing out");
			}
		}
		HikariDataSource pool = probePool();
		if (pool == null) {
			return new ProbeResult(ProbeResult.Outcome.FAILED, 0, null, "connection pool is closed");
		}
		try (Connection connection = pool.getConnection()) {
			return select(connection, start);
		}
		catch (SQLException | RuntimeException ex) {
			ProbeResult failed = ProbeResult.failed(ex);
			if (TOO_MANY_CONNECTIONS.equals(failed.sqlState()) && state != null && state.getTotalConnections() > 0) {
				// The server has no slot for a fresh connection, but the pool's own
				// connections are busy serving: the instance serves.
				return ProbeResult.answered(System.nanoTime() - start);
			}
			return failed;
		}
		finally {
			// The probe's own connection is not kept beyond this probe.
			HikariPoolMXBean probeState = pool.getHikariPoolMXBean();
			if (probeState != null) {
				probeState.softEvictConnections();
			}
		}
	}

	private ProbeResult select(Connection connection, long start) throws SQLException {
		connection.setNetworkTimeout(this.networkTimeoutExecutor, this.queryTimeoutMillis);
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT 1")) {
			result.next();
		}
		return ProbeResult.answered(System.nanoTime() - start);
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
		config.setMinimumIdle(0);
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
