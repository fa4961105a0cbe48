package dev.dbpool.datasource;

import java.util.Properties;

import dev.dbpool.common.SecretPolicy;
import dev.dbpool.config.DbPoolSettings;
import org.jspecify.annotations.Nullable;

/**
 * Everything needed to build the pool: the effective settings, where the server is, the
 * credentials and the pgjdbc connection properties. An application may define its own
 * bean of this type; the starter then builds the pool from it. {@link #toString()} masks
 * the password.
 */
public final class PoolDefinition {

	private final DbPoolSettings settings;

	private final String jdbcUrl;

	private final @Nullable String username;

	private final @Nullable String password;

	private final Properties driverProperties;

	/**
	 * Create a definition.
	 * @param settings the effective settings (see {@link DbPoolSettings#builder()})
	 * @param jdbcUrl the JDBC URL, without credentials
	 * @param username the user, if any
	 * @param password the password, if any
	 * @param driverProperties pgjdbc connection properties, without user and password
	 */
	public PoolDefinition(DbPoolSettings settings, String jdbcUrl, @Nullable String username, @Nullable String password,
			Properties driverProperties) {
		this.settings = settings;
		this.jdbcUrl = jdbcUrl;
		this.username = username;
		this.password = password;
		this.driverProperties = new Properties();
		this.driverProperties.putAll(driverProperties);
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

	/** The same pool under another name (a replica's {@code <name>-replica}). */
	public PoolDefinition withPoolName(String poolName) {
		return new PoolDefinition(this.settings.withPoolName(poolName), this.jdbcUrl, this.username, this.password,
				this.driverProperties);
	}

	@Override
	public String toString() {
		return "PoolDefinition[" + this.jdbcUrl + ", user=" + this.username + ", password="
				+ ((this.password != null) ? SecretPolicy.MASK : "none") + ", " + this.settings + "]";
	}

}
