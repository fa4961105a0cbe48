package dev.dbpool.health;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executor;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool;

/**
 * Runs {@code SELECT 1} on one of the application pool's own connections when the pool
 * can lend one within a short wait, so that a pool that serves is ready whatever the
 * server thinks of fresh connections (no free slots, 53300) and the probe never opens a
 * connection of its own: the instance stays within its connection limit. When the pool
 * cannot lend one, the pool's state answers: a pool that has connections and has not been
 * unable to lend for longer than its dead-connection bound (the socket timeout: query
 * timeout + 10 s at most) is busy but serving, ready and saturated; one that has been
 * unable to lend for longer is stuck, or its borrowers are timing out: not ready. A pool
 * with no connection at all that cannot open one is down, with the reason the pool last
 * failed to connect.
 */
public final class DatabaseProbe implements AutoCloseable {

	private static final long MIN_TIMEOUT_MILLIS = 250;

	private final HikariDataSource applicationPool;

	private final int queryTimeoutMillis;

	private final long borrowWaitMillis;

	private final long stuckAfterNanos;

	/** Stuck bound when the pool has no socket timeout: default query timeout + 10 s. */
	private static final long DEFAULT_STUCK_AFTER_SECONDS = 40;

	private final Executor networkTimeoutExecutor = Runnable::run;

	/** Since when the pool could not lend the probe a connection; 0 when it could. */
	private volatile long unableToLendSince;

	/**
	 * Create a probe for a pool.
	 * @param applicationPool the pool whose database is probed
	 * @param timeout the health timeout; waiting for a connection gets a quarter of it,
	 * the query half
	 */
	public DatabaseProbe(HikariDataSource applicationPool, Duration timeout) {
		this.applicationPool = applicationPool;
		long half = Math.max(MIN_TIMEOUT_MILLIS, timeout.toMillis() / 2);
		this.queryTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, half);
		this.borrowWaitMillis = Math.max(MIN_TIMEOUT_MILLIS, timeout.toMillis() / 4);
		String socketTimeout = applicationPool.getDataSourceProperties().getProperty("socketTimeout", "0").trim();
		long bound = socketTimeout.matches("\\d+") ? Long.parseLong(socketTimeout) : 0;
		this.stuckAfterNanos = Duration.ofSeconds((bound > 0) ? bound : DEFAULT_STUCK_AFTER_SECONDS).toNanos();
	}

	/** How long the pool may be unable to lend before it counts as stuck. */
	Duration stuckAfter() {
		return Duration.ofNanos(this.stuckAfterNanos);
	}

	/**
	 * Probe the database once. Bounded by the driver timeouts derived from the health
	 * timeout; callers that must answer on time run it through a
	 * {@link SingleFlightProbe}.
	 * @return the result
	 */
	public ProbeResult probe() {
		long start = System.nanoTime();
		if (this.applicationPool.isClosed()) {
			return new ProbeResult(ProbeResult.Outcome.FAILED, 0, null, "connection pool is closed");
		}
		HikariPoolMXBean state = this.applicationPool.getHikariPoolMXBean();
		SQLException unableToLend;
		try (Connection connection = (state instanceof HikariPool connections)
				? connections.getConnection(this.borrowWaitMillis) : this.applicationPool.getConnection()) {
			this.unableToLendSince = 0;
			return select(connection, start);
		}
		catch (SQLTransientConnectionException ex) {
			// Nothing to lend: every connection is busy, or none can be opened.
			unableToLend = ex;
		}
		catch (SQLException | RuntimeException ex) {
			return ProbeResult.failed(ex);
		}
		state = this.applicationPool.getHikariPoolMXBean();
		if (state == null || state.getTotalConnections() == 0) {
			// No connection at all, and none could be opened: the pool's last connect
			// failure says why (53300: the server has no free slot).
			return ProbeResult.failed(unableToLend);
		}
		long since = this.unableToLendSince;
		if (since == 0) {
			this.unableToLendSince = start;
			since = start;
		}
		long unable = System.nanoTime() - since;
		if (unable > this.stuckAfterNanos) {
			return new ProbeResult(ProbeResult.Outcome.FAILED, 0, null,
					"no connection of the pool came free for " + Duration.ofNanos(unable).toSeconds()
							+ " s, longer than a statement may take (socket timeout): its connections are stuck "
							+ "or its borrowers are timing out");
		}
		return ProbeResult.busy(unable, "all " + state.getTotalConnections() + " connections of the pool are in use ("
				+ state.getThreadsAwaitingConnection() + " callers waiting); none came free for "
				+ Duration.ofNanos(unable).toMillis() + " ms, within the "
				+ Duration.ofNanos(this.stuckAfterNanos).toSeconds() + " s after which the pool counts as stuck");
	}

	private ProbeResult select(Connection connection, long start) throws SQLException {
		connection.setNetworkTimeout(this.networkTimeoutExecutor, this.queryTimeoutMillis);
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT 1")) {
			result.next();
		}
		return ProbeResult.answered(System.nanoTime() - start);
	}

	@Override
	public void close() {
		// Nothing of its own to close: the probe only borrows the pool's connections.
	}

}
