package dev.dbpool.datasource;

import dev.dbpool.common.SecretPolicy;
import dev.dbpool.config.DbPoolSettings.Source;
import org.jspecify.annotations.Nullable;

/**
 * Where the server is and how to log in, when something other than the database URL says
 * so: a connection-details bean (Testcontainers {@code @ServiceConnection}, Docker
 * Compose), which overrides the URL's address, or {@code spring.datasource.*}, which is
 * used only when no URL is set.
 *
 * @param jdbcUrl the JDBC URL
 * @param username the user, if any
 * @param password the password, if any
 * @param overridesUrl whether this address wins over the database URL's
 * @param source what supplied it, for the settings' source labels
 * @param origin the bean or property that supplied the URL
 * @param usernameOrigin the bean or property that supplied the user
 */
public record ServerAddress(String jdbcUrl, @Nullable String username, @Nullable String password, boolean overridesUrl,
		Source source, String origin, String usernameOrigin) {

	/**
	 * An address from a {@code JdbcConnectionDetails} bean, which wins over the URL.
	 * @param jdbcUrl the JDBC URL
	 * @param username the user
	 * @param password the password
	 * @param bean what supplied it, such as the bean's class name
	 * @return the address
	 */
	public static ServerAddress connectionDetails(String jdbcUrl, @Nullable String username, @Nullable String password,
			String bean) {
		String origin = "JdbcConnectionDetails (" + bean + ")";
		return new ServerAddress(jdbcUrl, username, password, true, Source.CONNECTION_DETAILS, origin, origin);
	}

	/**
	 * An address from {@code spring.datasource.*}, used when no database URL is set.
	 * @param jdbcUrl {@code spring.datasource.url}
	 * @param username {@code spring.datasource.username}
	 * @param password {@code spring.datasource.password}
	 * @return the address
	 */
	public static ServerAddress springDatasource(String jdbcUrl, @Nullable String username, @Nullable String password) {
		return new ServerAddress(jdbcUrl, username, password, false, Source.SPRING_DATASOURCE, "spring.datasource.url",
				"spring.datasource.username");
	}

	@Override
	public String toString() {
		return "ServerAddress[" + this.jdbcUrl + ", user=" + this.username + ", password="
				+ ((this.password != null) ? SecretPolicy.MASK : "none") + ", from " + this.origin + "]";
	}

}
