package dev.dbpool.common;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;

/**
 * The connections one pool may have open on the server at once: its connection limit,
 * shared by the pool's own physical connections and every short side connection the
 * starter opens for that pool (the backend check, asking about a lost COMMIT, plan
 * capture). It is the DataSource HikariCP opens its physical connections with, so only
 * physical connects and closes take and give back a permit; borrowing and returning
 * pooled connections never touch it. The pool waits for a permit (at most its connection
 * timeout); a side connection only takes a free one, and is not opened without it.
 */
public final class ConnectionAllowance implements DataSource {

	/** Opens one physical connection. */
	@FunctionalInterface
	public interface Opener {

		Connection open() throws SQLException;

	}

	private final DataSource driver;

	private final int limit;

	private final long poolWaitMillis;

	private final Semaphore permits;

	private final Map<String, LongAdder> declined = new ConcurrentHashMap<>();

	/**
	 * Create the allowance of one pool.
	 * @param driver opens the pool's physical connections (and, with the pool's settings,
	 * side connections)
	 * @param limit the pool's connection limit
	 * @param poolWait how long the pool's own connect waits for a permit
	 */
	public ConnectionAllowance(DataSource driver, int limit, Duration poolWait) {
		this.driver = driver;
		this.limit = limit;
		this.poolWaitMillis = Math.max(0, poolWait.toMillis());
		this.permits = new Semaphore(limit, true);
	}

	/**
	 * The allowance of a pool this starter built.
	 * @param pool a HikariCP pool
	 * @return its allowance, or {@code null} for a pool built elsewhere
	 */
	public static @Nullable ConnectionAllowance of(@Nullable HikariDataSource pool) {
		DataSource connections = (pool != null) ? pool.getDataSource() : null;
		if (connections == null) {
			return null;
		}
		try {
			return connections.isWrapperFor(ConnectionAllowance.class) ? connections.unwrap(ConnectionAllowance.class)
					: null;
		}
		catch (SQLException ex) {
			return null;
		}
	}

	/** The connection limit. */
	public int limit() {
		return this.limit;
	}

	/** Connections open now: the pool's and the side connections. */
	public int inUse() {
		return this.limit - this.permits.availablePermits();
	}

	/**
	 * Side work skipped because every permit was held and no pooled connection was free,
	 * by purpose.
	 * @return the counts, sorted by purpose
	 */
	public Map<String, Long> declined() {
		Map<String, Long> counts = new TreeMap<>();
		this.declined.forEach((purpose, count) -> counts.put(purpose, count.sum()));
		return counts;
	}

	/**
	 * Open a side connection if a permit comes free within the wait; its close gives the
	 * permit back. A caller that then does without the connection says so with
	 * {@link #decline(String)}.
	 * @param purpose what it is for
	 * @param wait how long to wait for a permit
	 * @param opener opens the connection (with the side connection's own timeouts)
	 * @return the connection, or {@code null} if no permit came free
	 * @throws SQLException if opening fails
	 */
	public @Nullable Connection trySideConnection(String purpose, Duration wait, Opener opener) throws SQLException {
		boolean permitted;
		try {
			permitted = wait.isZero() ? this.permits.tryAcquire()
					: this.permits.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			permitted = false;
		}
		return permitted ? open(opener) : null;
	}

	/**
	 * Count side work skipped for want of a connection within the limit.
	 * @param purpose what it was for
	 */
	public void decline(String purpose) {
		this.declined.computeIfAbsent(purpose, (key) -> new LongAdder()).increment();
	}

	/**
	 * Open a side connection with the pool's own connection settings, if a permit is free
	 * within the wait.
	 * @param purpose what it is for
	 * @param wait how long to wait for a permit
	 * @return the connection, or {@code null} if no permit came free
	 * @throws SQLException if opening fails
	 */
	public @Nullable Connection trySideConnection(String purpose, Duration wait) throws SQLException {
		return trySideConnection(purpose, wait, this.driver::getConnection);
	}

	private Connection open(Opener opener) throws SQLException {
		Connection connection;
		try {
			connection = opener.open();
		}
		catch (SQLException | RuntimeException | Error ex) {
			this.permits.release();
			throw ex;
		}
		if (connection == null) {
			this.permits.release();
			throw new SQLException("The driver opened no connection");
		}
		return new PermitConnection(connection, this.permits);
	}

	private Connection poolConnection(Opener opener) throws SQLException {
		boolean permitted;
		try {
			permitted = this.permits.tryAcquire(this.poolWaitMillis, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SQLTransientConnectionException("Interrupted while waiting for a connection permit");
		}
		if (!permitted) {
			throw new SQLTransientConnectionException("All " + this.limit
					+ " connections of the connection limit are open (the pool's and its short side connections); "
					+ "none was closed within " + this.poolWaitMillis + " ms");
		}
		return open(opener);
	}

	@Override
	public Connection getConnection() throws SQLException {
		return poolConnection(this.driver::getConnection);
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return poolConnection(() -> this.driver.getConnection(username, password));
	}

	@Override
	public PrintWriter getLogWriter() throws SQLException {
		return this.driver.getLogWriter();
	}

	@Override
	public void setLogWriter(PrintWriter out) throws SQLException {
		this.driver.setLogWriter(out);
	}

	@Override
	public void setLoginTimeout(int seconds) throws SQLException {
		this.driver.setLoginTimeout(seconds);
	}

	@Override
	public int getLoginTimeout() throws SQLException {
		return this.driver.getLoginTimeout();
	}

	@Override
	public Logger getParentLogger() throws SQLFeatureNotSupportedException {
		return this.driver.getParentLogger();
	}

	@Override
	public <T> T unwrap(Class<T> iface) throws SQLException {
		if (iface.isInstance(this)) {
			return iface.cast(this);
		}
		return this.driver.unwrap(iface);
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) throws SQLException {
		return iface.isInstance(this) || this.driver.isWrapperFor(iface);
	}

	@Override
	public String toString() {
		return "ConnectionAllowance[" + inUse() + " of " + this.limit + " in use]";
	}

}
