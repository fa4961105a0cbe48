package dev.dbpool.datasource;

import dev.dbpool.config.DbPoolSettings;

import java.util.Properties;

import org.jspecify.annotations.Nullable;

/**
 * Everything needed to build the pool: the effective settings, where the server is, the
 * credentials and the pgjdbc connection properties. {@link #toString()} masks the
 * password.
 */
public final class PoolDefinition {

	private final DbPoolSettings settings;

	private final String jdbcUrl;

	private final @Nullable String username;

	private final @Nullable String password;

	private final Properties driverProperties;

	PoolDefinition(DbPoolSettings settings, String jdbcUrl, @Nullable String username, @Nullable String password,
			Properties driverProperties) {
		this.settings = settings;
		this.jdbcUrl = jdbcUrl;
		this.username = username;
		this.password = password;
		this.driverProperties = driverProperties;
	}

	public DbPoolSettings settings() {
		return this.settings;
	}

	/** JDBC URL without credentials. */
	public String jdbcUrl() {
		return this.jdbcUrl;
	}

	public @Nullable String username() {
		return this.username;
	}

	public @Nullable String password() {
		return this.password;
	}

	/** pgjdbc connection properties, without user and password. */
	public Properties driverProperties() {
		Properties copy = new Properties();
		copy.putAll(this.driverProperties);
		return copy;
	}

	@Override
	public String toString() {
		return "PoolDefinition[" + this.jdbcUrl + ", user=" + this.username + ", password="
				+ ((this.password != null) ? "****" : "none") + ", " + this.settings + "]";
	}

}
