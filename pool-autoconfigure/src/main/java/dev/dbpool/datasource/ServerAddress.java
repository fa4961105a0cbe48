package dev.dbpool.datasource;

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
 */
public record ServerAddress(String jdbcUrl, @Nullable String username, @Nullable String password,
		boolean overridesUrl) {

	@Override
	public String toString() {
		return "ServerAddress[" + this.jdbcUrl + ", user=" + this.username + ", password="
				+ ((this.password != null) ? "****" : "none") + "]";
	}

}
