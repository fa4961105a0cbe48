package dev.dbpool.datasource;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.logging.Logger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.slf4j.LoggerFactory;

/**
 * The driver-level DataSource under HikariCP. Behind PgBouncer (db.pool.pgbouncer=true,
 * or a pooler found on the first connection: the backend pid the server announced is not
 * the one that runs queries) each physical connection is a
 * {@link TransactionScopedConnection}, so isolation level and read-only apply to the
 * transaction and session state gets its warning. Straight to PostgreSQL the driver's
 * connection is handed to HikariCP untouched, so the direct path costs nothing per call;
 * the first connection costs one {@code SELECT pg_backend_pid()}.
 */
final class TransactionScopedDataSource implements DataSource {

	private static final org.slf4j.Logger logger = LoggerFactory.getLogger(TransactionScopedDataSource.class);

	private final DataSource driver;

	private final SessionStateStatements sessionState;

	private final String server;

	private final TransactionScopedConnection.ReadOnlyMode readOnlyMode;

	/** Whether connections are wrapped: known from the settings, or after the first. */
	private volatile @Nullable Boolean pooler;

	private static final String TOO_MANY_CONNECTIONS = "53300";

	private static final long SHORTFALL_WARNING_INTERVAL_NANOS = java.time.Duration.ofMinutes(1).toNanos();

	private volatile @Nullable HikariDataSource pool;

	private volatile long lastShortfallWarning;

	/** The server's default isolation level, read once. */
	private volatile int defaultIsolation = -1;

	/**
	 * Backend pid of each open physical connection straight to PostgreSQL (behind a
	 * pooler the pids are made up), for {@link VanishedBackendWatchdog}. Weak keys: a
	 * connection HikariCP closed and dropped goes with it.
	 */
	private final Map<Connection, Integer> backends = Collections.synchronizedMap(new WeakHashMap<>());

	/**
	 * Create the DataSource.
	 * @param driver opens pgjdbc connections with the pool's URL and properties
	 * @param pgbouncer whether the settings say PgBouncer is in front
	 * @param sessionState the check of session-state statements
	 * @param server host and port, for messages
	 * @param readOnlyMode pgjdbc's readOnlyMode property, {@code null} when not set
	 */
	TransactionScopedDataSource(DataSource driver, boolean pgbouncer, SessionStateStatements sessionState,
			String server, @Nullable String readOnlyMode) {
		this.driver = driver;
		this.readOnlyMode = TransactionScopedConnection.ReadOnlyMode.of(readOnlyMode);
		this.pooler = pgbouncer ? Boolean.TRUE : null;
		this.sessionState = sessionState;
		this.server = server;
	}

	@Override
	public Connection getConnection() throws SQLException {
		return scoped(open(null, null));
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return scoped(open(username, password));
	}

	/** The pool these connections are for, to name its size in warnings. */
	void pool(HikariDataSource pool) {
		this.pool = pool;
	}

	private Connection open(@Nullable String username, @Nullable String password) throws SQLException {
		try {
			return (username != null) ? this.driver.getConnection(username, password) : this.driver.getConnection();
		}
		catch (SQLException ex) {
			if (TOO_MANY_CONNECTIONS.equals(ex.getSQLState())) {
				warnShortfall(ex);
			}
			throw ex;
		}
	}

	/**
	 * At most once a minute: the pool is short of connections because the server has no
	 * slot.
	 */
	private void warnShortfall(SQLException refusal) {
		long now = System.nanoTime();
		long last = this.lastShortfallWarning;
		if (last != 0 && now - last < SHORTFALL_WARNING_INTERVAL_NANOS) {
			return;
		}
		this.lastShortfallWarning = now;
		HikariDataSource target = this.pool;
		HikariPoolMXBean state = (target != null) ? target.getHikariPoolMXBean() : null;
		String holding = (state != null && target != null)
				? "holds " + state.getTotalConnections() + " of its " + target.getMaximumPoolSize() + " connections"
				: "cannot open a connection";
		logger.warn("Pool '{}' {}: {} refuses more with SQLSTATE 53300, it has no free connection slots ({}). The "
				+ "pool serves with what it has. Fix: lower db.pool.connection-limit (or db.pool.instances) so that "
				+ "instances x connection-limit fits, or raise max_connections (or the role's CONNECTION LIMIT) on "
				+ "the server.", (target != null) ? target.getPoolName() : this.server, holding, this.server,
				refusal.getMessage());
	}

	/** Whether connections are wrapped; {@code null} before the first connection. */
	@Nullable Boolean pooler() {
		return this.pooler;
	}

	private Connection scoped(Connection connection) throws SQLException {
		try {
			Boolean behindPooler = this.pooler;
			if (behindPooler == null) {
				behindPooler = detectPooler(connection);
				this.pooler = behindPooler;
			}
			if (!behindPooler) {
				this.backends.put(connection, connection.unwrap(PGConnection.class).getBackendPID());
				return connection;
			}
			int isolation = this.defaultIsolation;
			if (isolation < 0) {
				isolation = serverDefaultIsolation(connection);
				this.defaultIsolation = isolation;
			}
			return new TransactionScopedConnection(connection, isolation, this.sessionState, this.readOnlyMode);
		}
		catch (SQLException | RuntimeException ex) {
			connection.close();
			throw ex;
		}
	}

	/**
	 * Backend pids of the open connections straight to PostgreSQL.
	 * @return pid by connection, a copy
	 */
	Map<Connection, Integer> backends() {
		synchronized (this.backends) {
			Map<Connection, Integer> copy = new HashMap<>();
			this.backends.forEach((connection, pid) -> copy.put(connection, pid));
			return copy;
		}
	}

	/** Forget a connection that was aborted. */
	void forget(Connection connection) {
		this.backends.remove(connection);
	}

	private boolean detectPooler(Connection connection) throws SQLException {
		int announced = connection.unwrap(PGConnection.class).getBackendPID();
		int actual;
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT pg_backend_pid()")) {
			result.next();
			actual = result.getInt(1);
		}
		if (announced == actual) {
			return false;
		}
		logger.warn(
				"{} is a pooler such as PgBouncer (the server announced backend pid {} but runs queries on "
						+ "backend {}), but db.pool.pgbouncer is false: isolation level and read-only are applied per "
						+ "transaction (SET TRANSACTION) instead of per session. Set db.pool.pgbouncer=true so that "
						+ "prepared statements are unnamed as transaction pooling needs.",
				this.server, announced, actual);
		return true;
	}

	private static int serverDefaultIsolation(Connection connection) throws SQLException {
		String level;
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SHOW default_transaction_isolation")) {
			result.next();
			level = result.getString(1);
		}
		if (!connection.getAutoCommit()) {
			connection.rollback();
		}
		return switch (level.trim().toLowerCase(java.util.Locale.ROOT)) {
			case "read uncommitted" -> Connection.TRANSACTION_READ_UNCOMMITTED;
			case "repeatable read" -> Connection.TRANSACTION_REPEATABLE_READ;
			case "serializable" -> Connection.TRANSACTION_SERIALIZABLE;
			default -> Connection.TRANSACTION_READ_COMMITTED;
		};
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
		return "TransactionScopedDataSource[" + this.server + "]";
	}

}
