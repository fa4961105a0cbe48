package dev.dbpool.url;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A parsed database URL: a libpq connection URI ({@code postgresql://} or
 * {@code postgres://}, parsed exactly as libpq parses it) or a pgjdbc URL
 * ({@code jdbc:postgresql:}). Query parameters may be libpq keywords, pool parameters
 * ({@link PoolParameter}) or pgjdbc property names. Immutable; {@link #toString()} masks
 * the password.
 */
public final class DatabaseUrl {

	/** Names of the pool parameters, in {@link PoolParameter} order. */
	public static final Set<String> POOL_PARAMETERS;

	static {
		Set<String> names = new LinkedHashSet<>();
		for (PoolParameter parameter : PoolParameter.values()) {
			names.add(parameter.parameterName());
		}
		POOL_PARAMETERS = Collections.unmodifiableSet(names);
	}

	/** Database used when the URL names neither a database nor a user. */
	public static final String DEFAULT_DATABASE = "postgres";

	private static final String JDBC_PREFIX = "jdbc:postgresql://";

	private final UrlComponents components;

	private final List<HostAndPort> hosts;

	private final Map<String, String> parameters;

	private final Map<String, String> driverParameters;

	private final List<String> untranslatedParameters;

	private DatabaseUrl(UrlComponents components) {
		this.components = components;
		this.hosts = List.copyOf(components.hosts);
		this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(components.parameters));
		if (components.jdbc) {
			Map<String, String> driver = new LinkedHashMap<>(components.parameters);
			driver.keySet().removeAll(POOL_PARAMETERS);
			this.driverParameters = Collections.unmodifiableMap(driver);
			this.untranslatedParameters = List.of();
		}
		else {
			this.driverParameters = Collections
				.unmodifiableMap(DriverPropertyTranslation.translate(components.parameters));
			this.untranslatedParameters = List.copyOf(DriverPropertyTranslation.untranslated(components.parameters));
		}
	}

	/**
	 * Parses a database URL. Leading and trailing white space is ignored.
	 * @param url a {@code postgresql://}, {@code postgres://} or {@code jdbc:postgresql:}
	 * URL
	 * @return the parsed URL
	 * @throws InvalidDatabaseUrlException if the URL is malformed; the message says what
	 * and where, and never contains the password
	 */
	public static DatabaseUrl parse(String url) {
		if (url == null || url.isBlank()) {
			throw new InvalidDatabaseUrlException(
					"Invalid database URL: the URL is empty; expected postgresql://user:password@host:5432/database");
		}
		String trimmed = url.strip();
		if (trimmed.startsWith("postgresql://")) {
			return new DatabaseUrl(LibpqUriParser.parse(trimmed, "postgresql://".length()));
		}
		if (trimmed.startsWith("postgres://")) {
			return new DatabaseUrl(LibpqUriParser.parse(trimmed, "postgres://".length()));
		}
		if (trimmed.startsWith(JdbcUrlParser.PREFIX)) {
			return new DatabaseUrl(JdbcUrlParser.parse(trimmed));
		}
		throw new InvalidDatabaseUrlException(unsupportedSchemeMessage(trimmed));
	}

	private static String unsupportedSchemeMessage(String url) {
		if (url.startsWith("\"") || url.startsWith("'")) {
			return "Invalid database URL: the URL is wrapped in quotes; remove them (env files read by docker"
					+ " --env-file or Compose env_file keep quotes as part of the value).";
		}
		String lower = url.toLowerCase(Locale.ROOT);
		if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")
				|| lower.startsWith("jdbc:postgresql:")) {
			return "Invalid database URL: the scheme must be written in lower case (postgresql://, postgres:// or"
					+ " jdbc:postgresql:), as libpq and pgjdbc only recognise it so.";
		}
		int schemeEnd = url.indexOf("://");
		boolean plainScheme = schemeEnd > 0 && url.substring(0, schemeEnd)
			.chars()
			.allMatch((c) -> Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.' || c == ':');
		String found = plainScheme ? "the scheme \"" + url.substring(0, schemeEnd) + "\" is not supported"
				: "it does not start with a supported scheme";
		return "Invalid database URL: " + found + "; expected postgresql://user:password@host:5432/database,"
				+ " postgres://... or jdbc:postgresql://host:5432/database (libpq key=value strings are not supported).";
	}

	/** The servers to try, in order; at least one. */
	public List<HostAndPort> hosts() {
		return this.hosts;
	}

	/**
	 * The database to connect to. As in libpq, a URL without a database means the
	 * database named like the user; without a user either, {@value #DEFAULT_DATABASE}
	 * (libpq would use the operating-system user name, which means nothing for a server
	 * application).
	 */
	public String database() {
		if (this.components.database != null && !this.components.database.isEmpty()) {
			return this.components.database;
		}
		String username = username();
		return (username != null) ? username : DEFAULT_DATABASE;
	}

	/**
	 * The user name, or {@code null} when the URL names none (an empty one counts as
	 * none, as in libpq).
	 */
	public @Nullable String username() {
		return emptyToNull(this.components.username);
	}

	/**
	 * The password, or {@code null} when the URL carries none (an empty one counts as
	 * none, as in libpq).
	 */
	public @Nullable String password() {
		return emptyToNull(this.components.password);
	}

	/**
	 * The libpq {@code hostaddr} value (comma-separated, one per host), or {@code null}.
	 * pgjdbc cannot use it, see {@link #toJdbcUrl()}.
	 */
	public @Nullable String hostaddr() {
		return emptyToNull(this.components.hostaddr);
	}

	/**
	 * The decoded query parameters in URL order, except {@code user}, {@code password},
	 * {@code dbname}, {@code host}, {@code port} and {@code hostaddr}, which are folded
	 * into the accessors. A parameter given twice has its last value, as in libpq.
	 */
	public Map<String, String> parameters() {
		return this.parameters;
	}

	/** The decoded value of a query parameter, or {@code null} if absent. */
	public @Nullable String parameter(String name) {
		return this.parameters.get(name);
	}

	/**
	 * A whole-number parameter, or {@code null} if absent.
	 * @throws InvalidDatabaseUrlException naming the parameter and the value if it is not
	 * a non-negative whole number
	 */
	public @Nullable Integer intParameter(String name) {
		String value = parameter(name);
		return (value != null) ? ParameterValues.parseInt(name, value) : null;
	}

	/** A whole-number pool parameter, or {@code null} if absent. */
	public @Nullable Integer intParameter(PoolParameter parameter) {
		return intParameter(parameter.parameterName());
	}

	/**
	 * A boolean parameter ({@code true/false}, {@code 1/0}, {@code yes/no},
	 * {@code on/off}), or {@code null} if absent.
	 * @throws InvalidDatabaseUrlException naming the parameter and the value otherwise
	 */
	public @Nullable Boolean booleanParameter(String name) {
		String value = parameter(name);
		return (value != null) ? ParameterValues.parseBoolean(name, value) : null;
	}

	/** A boolean pool parameter, or {@code null} if absent. */
	public @Nullable Boolean booleanParameter(PoolParameter parameter) {
		return booleanParameter(parameter.parameterName());
	}

	/**
	 * A time parameter, or {@code null} if absent. A bare number is seconds (the seeds'
	 * {@code statement_timeout=30} is 30 s); a number with a unit {@code ms}, {@code s},
	 * {@code min}, {@code h} or {@code d} is accepted too.
	 * @throws InvalidDatabaseUrlException naming the parameter and the value otherwise
	 */
	public @Nullable Duration durationParameter(String name) {
		String value = parameter(name);
		return (value != null) ? ParameterValues.parseDuration(name, value) : null;
	}

	/**
	 * A time pool parameter, or {@code null} if absent; see
	 * {@link #durationParameter(String)}.
	 */
	public @Nullable Duration durationParameter(PoolParameter parameter) {
		return durationParameter(parameter.parameterName());
	}

	/** Whether the input was a {@code jdbc:postgresql:} URL. */
	public boolean isJdbc() {
		return this.components.jdbc;
	}

	/** Whether some host is a unix-socket directory, which pgjdbc cannot use. */
	public boolean hasUnixSocketHost() {
		return this.hosts.stream().anyMatch(HostAndPort::isUnixSocket);
	}

	/**
	 * The pgjdbc URL for this database, without credentials or pool parameters. A
	 * {@code jdbc:} input comes back as written minus those; a {@code postgresql://}
	 * input becomes {@code jdbc:postgresql://h1:5432,h2:5433/db?...} carrying the
	 * translated {@link #driverProperties() driver properties}. pgjdbc lets URL
	 * parameters beat connection properties, so a caller that wants its own properties to
	 * win should use {@link #toJdbcUrlWithoutParameters()} with
	 * {@link #driverProperties()}.
	 * @throws InvalidDatabaseUrlException if a host is a unix socket or uses
	 * {@code hostaddr}, neither of which pgjdbc supports
	 */
	public String toJdbcUrl() {
		if (this.components.jdbc) {
			return requireJdbc(this.components.jdbcUrl);
		}
		String address = toJdbcUrlWithoutParameters();
		if (this.driverParameters.isEmpty()) {
			return address;
		}
		StringBuilder url = new StringBuilder(address);
		char separator = '?';
		for (Map.Entry<String, String> entry : this.driverParameters.entrySet()) {
			url.append(separator).append(entry.getKey()).append('=').append(encode(entry.getValue()));
			separator = '&';
		}
		return url.toString();
	}

	/**
	 * The pgjdbc URL with hosts, ports and database only: no query string at all.
	 * @throws InvalidDatabaseUrlException as {@link #toJdbcUrl()}
	 */
	public String toJdbcUrlWithoutParameters() {
		if (this.components.jdbc) {
			return requireJdbc(this.components.jdbcUrlWithoutQuery);
		}
		checkUsableByPgjdbc();
		StringBuilder url = new StringBuilder(JDBC_PREFIX);
		for (int i = 0; i < this.hosts.size(); i++) {
			url.append((i > 0) ? "," : "").append(this.hosts.get(i).toUrlAuthority());
		}
		return url.append('/').append(encode(database())).toString();
	}

	private void checkUsableByPgjdbc() {
		for (HostAndPort host : this.hosts) {
			if (host.isUnixSocket()) {
				throw new InvalidDatabaseUrlException("Invalid database URL for pgjdbc: host "
						+ this.components.redaction.quote(host.host())
						+ " is a unix-socket directory, and pgjdbc connects over TCP only (unix sockets need an extra"
						+ " socket-factory library such as junixsocket). Use a TCP host instead, for example"
						+ " postgresql://localhost:5432/" + this.components.redaction.plain(String.valueOf(database()))
						+ ".");
			}
			if (host.host().chars().anyMatch((c) -> "/?&#,@".indexOf(c) >= 0 || Character.isWhitespace(c))) {
				throw new InvalidDatabaseUrlException("Invalid database URL for pgjdbc: host "
						+ this.components.redaction.quote(host.host())
						+ " contains a character that a jdbc:postgresql:// URL cannot carry (/ ? & # , @ or white"
						+ " space).");
			}
		}
		if (this.components.hostNameWithHostaddr) {
			String address = String.valueOf(hostaddr());
			String shown = this.components.redaction.mayBeSecret(address) ? UrlRedaction.NOT_SHOWN : address;
			throw new InvalidDatabaseUrlException("Invalid database URL for pgjdbc: hostaddr=" + shown
					+ " is given together with host names, and pgjdbc has no hostaddr: it always resolves the host"
					+ " name. Put the address in the host part (postgresql://" + shown + ":5432/...) or remove"
					+ " hostaddr.");
		}
	}

	/**
	 * pgjdbc connection properties translated from the URL's libpq keywords, plus the
	 * pgjdbc property names given in the URL (which win over a translated keyword). Never
	 * contains {@code user}, {@code password} or pool parameters. A new object on each
	 * call.
	 */
	public Properties driverProperties() {
		Properties properties = new Properties();
		properties.putAll(this.driverParameters);
		return properties;
	}

	/**
	 * The libpq keywords in the URL that pgjdbc has no equivalent for (for example
	 * {@code keepalives_idle} or {@code sslcrl}), in URL order. They are parsed and kept
	 * in {@link #parameters()} but have no effect on a pgjdbc connection; callers should
	 * say so, not ignore them silently.
	 */
	public List<String> untranslatedParameters() {
		return this.untranslatedParameters;
	}

	/**
	 * The URL with its password and any other password-like parameter shown as
	 * {@code ****}.
	 */
	@Override
	public String toString() {
		if (this.components.jdbc) {
			return requireJdbc(this.components.maskedJdbcUrl);
		}
		StringBuilder url = new StringBuilder(this.components.scheme).append("://");
		String username = username();
		if (username != null || password() != null) {
			url.append((username != null) ? encode(username) : "");
			url.append((password() != null) ? ":" + SecretMasking.MASK : "").append('@');
		}
		for (int i = 0; i < this.hosts.size(); i++) {
			url.append((i > 0) ? "," : "").append(this.hosts.get(i).toUrlAuthority());
		}
		url.append('/');
		if (this.components.database != null && !this.components.database.isEmpty()) {
			url.append(encode(this.components.database));
		}
		List<String> query = new ArrayList<>();
		if (hostaddr() != null) {
			query.add("hostaddr=" + encode(hostaddr()));
		}
		for (Map.Entry<String, String> entry : this.parameters.entrySet()) {
			String value = ParameterNames.isSecret(entry.getKey()) ? SecretMasking.MASK : encode(entry.getValue());
			query.add(entry.getKey() + "=" + value);
		}
		if (!query.isEmpty()) {
			url.append('?').append(String.join("&", query));
		}
		return url.toString();
	}

	private static String requireJdbc(@Nullable String value) {
		if (value == null) {
			throw new IllegalStateException("jdbc URL parts missing");
		}
		return value;
	}

	private static @Nullable String emptyToNull(@Nullable String value) {
		return (value == null || value.isEmpty()) ? null : value;
	}

	/**
	 * Percent-encodes everything but RFC 3986's unreserved characters. pgjdbc decodes
	 * with {@code URLDecoder}, which reads {@code +} as a space, so neither is left
	 * literal.
	 */
	static String encode(String value) {
		StringBuilder encoded = new StringBuilder(value.length());
		for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
			int c = b & 0xFF;
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
					|| c == '_' || c == '~') {
				encoded.append((char) c);
			}
			else {
				encoded.append('%')
					.append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
					.append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
			}
		}
		return encoded.toString();
	}

}
