package dev.dbpool.datasource;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.dbpool.common.ConnectionAllowance;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees a pool whose connections hang on a server host that vanished. When the pool has
 * had no idle connection for a while, it opens one short connection of its own and asks
 * the server which backends exist ({@code pg_stat_activity}) and when it started
 * ({@code pg_postmaster_start_time()}). A pooled connection whose backend pid is gone, or
 * that was opened before the server restarted, can never answer: it is aborted at once,
 * so its caller fails now (and is retried) instead of waiting for the socket timeout, and
 * HikariCP replaces it. While the server cannot be reached the check simply fails; the
 * socket timeout (query timeout + 10 s at most) still bounds every call.
 * <p>
 * Only for connections straight to PostgreSQL: behind PgBouncer the pids are made up, and
 * PgBouncer itself drops server connections that die. The check costs nothing while the
 * pool has idle connections; while it has none, one short connection at most every
 * {@link #CHECK_INTERVAL}, and only with a free permit of the pool's
 * {@link ConnectionAllowance}: the check never takes the instance above its connection
 * limit. A pool that holds every permit (a fixed-size pool always does) skips the check,
 * counted as declined {@code backend-check}; its stuck connections are then bounded by
 * the socket timeout.
 */
final class VanishedBackendWatchdog implements Runnable {

	private static final Logger logger = LoggerFactory.getLogger(VanishedBackendWatchdog.class);

	/** How often the pool's state is looked at. */
	static final Duration TICK = Duration.ofMillis(500);

	/** How long the pool must have had no idle connection before the server is asked. */
	static final Duration TROUBLE_AFTER = Duration.ofSeconds(1);

	/** Least time between two checks on the server. */
	static final Duration CHECK_INTERVAL = Duration.ofSeconds(2);

	private static final String CHECK_TIMEOUT_SECONDS = "2";

	/** The check's name among the side work of the pool's connection allowance. */
	static final String PURPOSE = "backend-check";

	private final HikariDataSource pool;

	private final TransactionScopedDataSource connections;

	private final Driver driver;

	private final String jdbcUrl;

	private final Properties properties;

	private final ScheduledExecutorService scheduler;

	private final @Nullable ConnectionAllowance allowance;

	private final Executor aborter = Runnable::run;

	private long troubleSince = -1;

	private long lastCheck = System.nanoTime() - CHECK_INTERVAL.toNanos();

	private @Nullable String serverStart;

	private int aborted;

	private VanishedBackendWatchdog(HikariDataSource pool, TransactionScopedDataSource connections, Driver driver,
			PoolDefinition definition) {
		this.pool = pool;
		this.connections = connections;
		this.driver = driver;
		this.jdbcUrl = definition.jdbcUrl();
		Properties driverProperties = definition.driverProperties();
		if (definition.username() != null) {
			driverProperties.setProperty("user", definition.username());
		}
		if (definition.password() != null) {
			driverProperties.setProperty("password", definition.password());
		}
		driverProperties.setProperty("connectTimeout", CHECK_TIMEOUT_SECONDS);
		driverProperties.setProperty("loginTimeout", CHECK_TIMEOUT_SECONDS);
		driverProperties.setProperty("socketTimeout", CHECK_TIMEOUT_SECONDS);
		driverProperties.setProperty("ApplicationName",
				driverProperties.getProperty("ApplicationName", "dbpool") + " (backend check)");
		this.properties = driverProperties;
		this.allowance = ConnectionAllowance.of(pool);
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, pool.getPoolName() + "-backend-watchdog");
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Watch a pool until it is closed.
	 * @param pool the pool
	 * @param connections the pool's driver-level DataSource, which knows the backend pids
	 * @param definition the pool's connection settings
	 * @return the running watchdog
	 */
	static VanishedBackendWatchdog start(HikariDataSource pool, TransactionScopedDataSource connections,
			PoolDefinition definition) {
		VanishedBackendWatchdog watchdog = new VanishedBackendWatchdog(pool, connections, new org.postgresql.Driver(),
				definition);
		watchdog.scheduler.scheduleWithFixedDelay(watchdog, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
		return watchdog;
	}

	/** Connections aborted so far. */
	int aborted() {
		return this.aborted;
	}

	@Override
	public void run() {
		try {
			if (this.pool.isClosed()) {
				this.scheduler.shutdown();
				return;
			}
			HikariPoolMXBean state = this.pool.getHikariPoolMXBean();
			if (state == null || Boolean.TRUE.equals(this.connections.pooler())) {
				return;
			}
			long now = System.nanoTime();
			if (state.getIdleConnections() > 0 || state.getActiveConnections() == 0) {
				this.troubleSince = -1;
				return;
			}
			if (this.troubleSince < 0) {
				this.troubleSince = now;
			}
			if (now - this.troubleSince >= TROUBLE_AFTER.toNanos()
					&& now - this.lastCheck >= CHECK_INTERVAL.toNanos()) {
				this.lastCheck = now;
				check();
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Backend check of pool '{}' failed", this.pool.getPoolName(), ex);
		}
	}

	/**
	 * The check's short connection, within the pool's connection limit.
	 * @return the connection, or {@code null} when no permit is free
	 */
	private @Nullable Connection open() throws SQLException {
		if (this.allowance == null) {
			return this.driver.connect(this.jdbcUrl, this.properties);
		}
		return this.allowance.trySideConnection(PURPOSE, Duration.ZERO,
				() -> this.driver.connect(this.jdbcUrl, this.properties));
	}

	/** Ask the server which backends exist, and abort pooled connections whose do not. */
	void check() {
		Set<Integer> live = new HashSet<>();
		String start;
		try (Connection connection = open();
				Statement statement = (connection != null) ? connection.createStatement() : null) {
			if (statement == null) {
				if (this.allowance != null) {
					this.allowance.decline(PURPOSE);
				}
				logger.debug("Backend check of pool '{}' skipped: the pool holds every connection of its limit",
						this.pool.getPoolName());
				return;
			}
			try (ResultSet result = statement.executeQuery("SELECT pg_postmaster_start_time()::text")) {
				result.next();
				start = result.getString(1);
			}
			try (ResultSet result = statement.executeQuery("SELECT pid FROM pg_stat_activity")) {
				while (result.next()) {
					live.add(result.getInt(1));
				}
			}
		}
		catch (SQLException ex) {
			logger.debug("Backend check of pool '{}': server not reachable: {}", this.pool.getPoolName(),
					ex.getMessage());
			return;
		}
		boolean restarted = this.serverStart != null && !this.serverStart.equals(start);
		this.serverStart = start;
		int count = 0;
		for (Map.Entry<Connection, Integer> entry : this.connections.backends().entrySet()) {
			if (restarted || !live.contains(entry.getValue())) {
				Connection connection = entry.getKey();
				this.connections.forget(connection);
				try {
					if (!connection.isClosed()) {
						connection.abort(this.aborter);
						count++;
					}
				}
				catch (SQLException ex) {
					logger.debug("Could not abort a connection of pool '{}'", this.pool.getPoolName(), ex);
				}
			}
		}
		if (count > 0) {
			this.aborted += count;
			logger.warn(
					"Pool '{}': aborted {} connection(s) whose server backend no longer exists ({}); their "
							+ "callers fail now and are retried on new connections instead of waiting for the socket "
							+ "timeout",
					this.pool.getPoolName(), count,
					restarted ? "the server restarted at " + start : "pids absent from pg_stat_activity");
		}
	}

}
