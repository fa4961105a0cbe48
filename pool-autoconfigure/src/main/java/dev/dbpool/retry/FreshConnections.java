package dev.dbpool.retry;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool;
import dev.dbpool.common.ConnectionAllowance;
import dev.dbpool.common.HikariPools;
import org.jspecify.annotations.Nullable;

/**
 * The connection on which a lost commit is asked about, always within the pool's
 * connection limit: a short-lived connection straight through the driver (the pool's URL,
 * credentials and driver properties, short timeouts) when a permit of the pool's
 * {@link ConnectionAllowance} comes free within a short wait, so that asking neither
 * waits for nor takes one of the pool's connections; otherwise one of the pool's own
 * connections, borrowed within a short wait. When neither comes, the attempt fails and
 * the resolver tries again within its window, then reports the outcome unknown. A
 * HikariCP pool the starter did not build (an application's own pool, with no
 * {@code connection-limit} of the starter's) is asked about on a short connection of its
 * own, and any other DataSource for a connection.
 */
final class FreshConnections implements CommitOutcomeResolver.ConnectionOpener {

	private static final String CONNECT_TIMEOUT_SECONDS = "2";

	private static final String SOCKET_TIMEOUT_SECONDS = "5";

	private static final int SOCKET_TIMEOUT_MILLIS = 5000;

	/** This work's name among the side work of the pool's connection allowance. */
	static final String PURPOSE = "commit-outcome";

	/** How long one attempt waits for a permit, then for a pooled connection. */
	static final Duration WAIT = Duration.ofMillis(200);

	private static final Executor NETWORK_TIMEOUT_EXECUTOR = Runnable::run;

	private final Supplier<@Nullable DataSource> dataSource;

	private FreshConnections(Supplier<@Nullable DataSource> dataSource) {
		this.dataSource = dataSource;
	}

	static FreshConnections of(Supplier<@Nullable DataSource> dataSource) {
		return new FreshConnections(dataSource);
	}

	@Override
	public Connection open() throws SQLException {
		DataSource source = this.dataSource.get();
		if (source == null) {
			throw new SQLException("No single DataSource to ask about the lost commit");
		}
		HikariDataSource pool = HikariPools.find(source);
		if (pool == null) {
			return source.getConnection();
		}
		boolean postgresql = pool.getJdbcUrl() != null && pool.getJdbcUrl().startsWith("jdbc:postgresql:");
		ConnectionAllowance allowance = ConnectionAllowance.of(pool);
		if (allowance == null && postgresql) {
			// A pool the starter did not build has no connection-limit of the starter's
			// to keep: ask on a short connection of its own, as for a free permit.
			return connect(pool);
		}
		if (allowance != null && postgresql) {
			Connection fresh = allowance.trySideConnection(PURPOSE, WAIT, () -> connect(pool));
			if (fresh != null) {
				return fresh;
			}
		}
		try {
			return borrow(pool);
		}
		catch (SQLTransientConnectionException ex) {
			if (allowance != null) {
				allowance.decline(PURPOSE);
			}
			throw ex;
		}
	}

	/** One of the pool's own connections, with the short socket timeout. */
	private static Connection borrow(HikariDataSource pool) throws SQLException {
		HikariPoolMXBean state = pool.getHikariPoolMXBean();
		Connection connection = (state instanceof HikariPool connections) ? connections.getConnection(WAIT.toMillis())
				: pool.getConnection();
		try {
			// HikariCP restores the pool's network timeout when the connection returns.
			connection.setNetworkTimeout(NETWORK_TIMEOUT_EXECUTOR, SOCKET_TIMEOUT_MILLIS);
		}
		catch (SQLException | RuntimeException ex) {
			connection.close();
			throw ex;
		}
		return connection;
	}

	private static Connection connect(HikariDataSource pool) throws SQLException {
		Properties properties = new Properties();
		properties.putAll(pool.getDataSourceProperties());
		if (pool.getUsername() != null) {
			properties.setProperty("user", pool.getUsername());
		}
		if (pool.getPassword() != null) {
			properties.setProperty("password", pool.getPassword());
		}
		properties.setProperty("connectTimeout", CONNECT_TIMEOUT_SECONDS);
		properties.setProperty("loginTimeout", CONNECT_TIMEOUT_SECONDS);
		properties.setProperty("socketTimeout", SOCKET_TIMEOUT_SECONDS);
		properties.setProperty("ApplicationName",
				properties.getProperty("ApplicationName", "dbpool") + " (commit outcome)");
		Connection connection = new org.postgresql.Driver().connect(pool.getJdbcUrl(), properties);
		if (connection == null) {
			throw new SQLException("The PostgreSQL driver does not accept " + pool.getJdbcUrl());
		}
		return connection;
	}

}
