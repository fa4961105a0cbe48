package dev.dbpool.url;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a parser found in a URL, before {@link DatabaseUrl} turns it into its public form.
 */
final class UrlComponents {

	boolean jdbc;

	/** {@code postgresql} or {@code postgres}; the scheme as written, for display. */
	String scheme = "postgresql";

	List<HostAndPort> hosts = new ArrayList<>();

	/** Whether some entry has both a host name and a {@code hostaddr}. */
	boolean hostNameWithHostaddr;

	@Nullable String database;

	@Nullable String username;

	@Nullable String password;

	@Nullable String hostaddr;

	/** Decoded query parameters except the address and credential keywords, in order. */
	Map<String, String> parameters = new LinkedHashMap<>();

	/**
	 * For {@code jdbc:} input: the URL as given minus credentials and pool parameters.
	 */
	@Nullable String jdbcUrl;

	/** For {@code jdbc:} input: the URL without its query string. */
	@Nullable String jdbcUrlWithoutQuery;

	/** What in the URL could be part of a credential, for later messages. */
	UrlRedaction redaction = UrlRedaction.of("");

	/** For {@code jdbc:} input: the URL as given with secret values masked. */
	@Nullable String maskedJdbcUrl;

}
