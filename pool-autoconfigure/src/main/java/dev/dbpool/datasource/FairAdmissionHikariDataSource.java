package dev.dbpool.datasource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool;
import dev.dbpool.common.Durations;
import org.jspecify.annotations.Nullable;

/**
 * A HikariCP pool whose borrowers are served in the order they asked: a fair
 * {@link Semaphore} with one permit per connection admits them before HikariCP's own
 * hand-off, which lets a newly arriving borrower take a just-returned connection ahead of
 * a thread that has waited for seconds. A permit is held from the borrow to the
 * connection's {@code close()} or its eviction, and given back when the borrow fails. The
 * wait for a permit and the borrow behind it share the one pool timeout. Built only when
 * {@code db.pool.fair-admission} is on; other pools keep HikariCP's borrow path
 * untouched. The number of permits is fixed at startup (changing {@code maximumPoolSize}
 * through JMX does not change it).
 */
final class FairAdmissionHikariDataSource extends HikariDataSource {

	private final Semaphore permits;

	private final int connections;

	private final long poolTimeoutMillis;

	private final long poolTimeoutNanos;

	FairAdmissionHikariDataSource(HikariConfig config, long poolTimeoutMillis) {
		super(config);
		this.connections = config.getMaximumPoolSize();
		this.permits = new Semaphore(this.connections, true);
		this.poolTimeoutMillis = poolTimeoutMillis;
		this.poolTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(poolTimeoutMillis);
	}

	/** The configured pool timeout, which may be below HikariCP's 250 ms floor. */
	long poolTimeoutMillis() {
		return this.poolTimeoutMillis;
	}

	@Override
	public Connection getConnection() throws SQLException {
		long start = System.nanoTime();
		admit();
		try {
			HikariPoolMXBean pool = getHikariPoolMXBean();
			Connection connection;
			if (pool instanceof HikariPool hikariPool && !isClosed()) {
				long left = this.poolTimeoutNanos - (System.nanoTime() - start);
				connection = hikariPool.getConnection(Math.max(0, TimeUnit.NANOSECONDS.toMillis(left)));
			}
			else {
				// Closed: HikariCP says so.
				connection = super.getConnection();
			}
			return new AdmittedConnection(connection, this.permits);
		}
		catch (SQLException | RuntimeException | Error ex) {
			this.permits.release();
			throw ex;
		}
	}

	/**
	 * Evict the connection as HikariCP does, reaching HikariCP's own connection through
	 * the wrappers (HikariCP ignores any other), and give its permit back: HikariCP
	 * replaces an evicted connection, so the next borrower in line may have it.
	 */
	@Override
	public void evictConnection(Connection connection) {
		AdmittedConnection admitted = admitted(connection);
		if (admitted == null) {
			super.evictConnection(connection);
			return;
		}
		try {
			super.evictConnection(admitted.delegate());
		}
		finally {
			admitted.releasePermit();
		}
	}

	private static @Nullable AdmittedConnection admitted(Connection connection) {
		try {
			return connection.isWrapperFor(AdmittedConnection.class) ? connection.unwrap(AdmittedConnection.class)
					: null;
		}
		catch (SQLException ex) {
			return null;
		}
	}

	private void admit() throws SQLException {
		boolean admitted;
		try {
			admitted = this.permits.tryAcquire(this.poolTimeoutNanos, TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SQLException(getPoolName() + " - Interrupted during connection acquisition", ex);
		}
		if (!admitted) {
			throw timedOut();
		}
	}

	/**
	 * The pool timeout as HikariCP reports it (same exception type and opening, so that
	 * retry and error classification treat both alike), with what to change.
	 */
	private SQLTransientConnectionException timedOut() {
		HikariPoolMXBean pool = getHikariPoolMXBean();
		String state = (pool != null)
				? " (total=" + pool.getTotalConnections() + ", active=" + pool.getActiveConnections() + ", idle="
						+ pool.getIdleConnections() + ", waiting=" + this.permits.getQueueLength() + ")"
				: "";
		String timeout = Durations.format(Duration.ofMillis(this.poolTimeoutMillis));
		return new SQLTransientConnectionException(getPoolName()
				+ " - Connection is not available, request timed out after " + this.poolTimeoutMillis
				+ "ms in the fair admission queue for the pool's " + this.connections + " connections" + state
				+ ". db.pool.pool-timeout=" + timeout + " bounds this wait: raise db.pool.connection-limit if the "
				+ "database has room for more connections, send fewer requests at once, or raise db.pool.pool-timeout.");
	}

}
