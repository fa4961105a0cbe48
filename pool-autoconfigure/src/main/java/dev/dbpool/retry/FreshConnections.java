package dev.dbpool.retry;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.common.HikariPools;
import org.jspecify.annotations.Nullable;

/**
 * Opens a short-lived connection to the server behind the application's DataSource,
 * straight through the driver with the pool's URL, credentials and driver properties and
 * short timeouts, so that asking about a lost commit neither waits for nor takes one of
 * the pool's connections. A DataSource that is not a HikariCP pool is asked for a
 * connection instead.
 */
final class FreshConnections implements CommitOutcomeResolver.ConnectionOpener {

	private static final String CONNECT_TIMEOUT_SECONDS = "2";

	private static final String SOCKET_TIMEOUT_SECONDS = "5";

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
		if (pool == null || pool.getJdbcUrl() == null || !pool.getJdbcUrl().startsWith("jdbc:postgresql:")) {
			return source.getConnection();
		}
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
