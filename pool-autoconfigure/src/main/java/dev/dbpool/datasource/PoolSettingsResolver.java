package dev.dbpool.datasource;

import dev.dbpool.config.DbPoolSettings;

import dev.dbpool.common.InvalidDbPoolSettingException;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.dbpool.config.DbPoolProperties;
import dev.dbpool.config.DbPoolSettings.Setting;
import dev.dbpool.config.DbPoolSettings.Source;
import dev.dbpool.url.DatabaseUrl;
import dev.dbpool.url.HostAndPort;
import dev.dbpool.url.InvalidDatabaseUrlException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves every pool setting by one rule: an explicit {@code db.pool.*} property beats a
 * URL query parameter, which beats a seed environment alias, which beats the tuned
 * default. Then validates the result, so that nothing HikariCP or pgjdbc would silently
 * ignore or reset reaches them. No Spring inside: the caller says which properties were
 * set explicitly and which came from an alias.
 */
public final class PoolSettingsResolver {

	private static final Logger logger = LoggerFactory.getLogger(PoolSettingsResolver.class);

	static final int DEFAULT_CONNECTION_LIMIT = 10;

	static final Duration DEFAULT_POOL_TIMEOUT = Duration.ofSeconds(10);

	static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

	static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

	static final Duration DEFAULT_MAX_LIFETIME = Duration.ofMinutes(30);

	static final Duration DEFAULT_KEEPALIVE_TIME = Duration.ofMinutes(2);

	static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(30);

	static final Duration DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT = Duration.ofSeconds(60);

	static final int DEFAULT_STATEMENT_CACHE_SIZE = 100;

	static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);

	static final Duration DEFAULT_SLOW_QUERY_THRESHOLD = Duration.ofSeconds(1);

	static final int SOCKET_TIMEOUT_FACTOR = 3;

	private static final List<String> SSL_MODES = List.of("disable", "allow", "prefer", "require", "verify-ca",
			"verify-full");

	private final DbPoolProperties properties;

	private final Predicate<String> explicit;

	private final Function<String, @Nullable String> alias;

	private final @Nullable String applicationName;

	private final Map<String, Setting> entries = new LinkedHashMap<>();

	private final Map<String, String> origins = new LinkedHashMap<>();

	private @Nullable DatabaseUrl url;

	private String urlOrigin = "db.pool.url";

	/**
	 * Create a resolver.
	 * @param properties the bound properties (aliases included)
	 * @param explicit whether a {@code db.pool.*} property (kebab-case name after the
	 * prefix) was set by something other than a seed alias
	 * @param alias the seed environment variable a property was mapped from, or null
	 * @param applicationName {@code spring.application.name}, if set
	 */
	public PoolSettingsResolver(DbPoolProperties properties, Predicate<String> explicit,
			Function<String, @Nullable String> alias, @Nullable String applicationName) {
		this.properties = properties;
		this.explicit = explicit;
		this.alias = alias;
		this.applicationName = applicationName;
	}

	/**
	 * Resolve the pool against a server address.
	 * @param address where the server is when a connection-details bean (Testcontainers,
	 * Docker Compose) or {@code spring.datasource.url} supplies it, otherwise null
	 * @return the pool definition
	 */
	public PoolDefinition resolve(@Nullable ServerAddress address) {
		this.url = parseUrl();
		String jdbcUrl;
		String username;
		String password;
		Properties driverProperties = new Properties();
		if (address != null && (address.overridesUrl() || this.url == null)) {
			jdbcUrl = address.jdbcUrl();
			username = address.username();
			password = address.password();
		}
		else if (this.url != null) {
			jdbcUrl = jdbcUrlOf(this.url);
			username = this.url.username();
			password = this.url.password();
			driverProperties.putAll(this.url.driverProperties());
		}
		else {
			throw new InvalidDbPoolSettingException("db.pool.url", "(not set)",
					"a postgresql:// or jdbc:postgresql:// URL",
					"Set the DATABASE_URL environment variable or db.pool.url, for example "
							+ "postgresql://app:secret@localhost:5432/app?connection_limit=10.");
		}
		if (this.properties.getUsername() != null) {
			username = this.properties.getUsername();
		}
		if (this.properties.getPassword() != null) {
			password = this.properties.getPassword();
		}
		put("jdbcUrl", jdbcUrl,
				(address != null && (address.overridesUrl() || this.url == null)) ? Source.DERIVED : sourceOf("url"),
				"db.pool.url");
		put("username", username, (this.properties.getUsername() != null) ? Source.PROPERTY : Source.URL,
				"db.pool.username");
		resolveSettings();
		validate();
		DbPoolSettings settings = new DbPoolSettings(this.entries);
		applyDriverProperties(settings, driverProperties);
		return new PoolDefinition(settings, jdbcUrl, username, password, driverProperties);
	}

	private @Nullable DatabaseUrl parseUrl() {
		String text = this.properties.getUrl();
		if (text == null || text.isBlank()) {
			return null;
		}
		String variable = this.alias.apply("url");
		this.urlOrigin = (variable != null) ? variable : "db.pool.url";
		try {
			DatabaseUrl parsed = DatabaseUrl.parse(text);
			if (!parsed.untranslatedParameters().isEmpty()) {
				logger.warn("{} parameters {} are libpq settings pgjdbc has no equivalent for; they have no effect",
						this.urlOrigin, parsed.untranslatedParameters());
			}
			return parsed;
		}
		catch (InvalidDatabaseUrlException ex) {
			throw new InvalidDbPoolSettingException(this.urlOrigin,
					"(the URL, not shown because it may hold a password)",
					"a valid postgresql:// or jdbc:postgresql:// URL; " + ex.getMessage(),
					"Correct " + this.urlOrigin + " as described.", ex);
		}
	}

	private String jdbcUrlOf(DatabaseUrl url) {
		for (HostAndPort host : url.hosts()) {
			if (host.isUnixSocket()) {
				throw new InvalidDbPoolSettingException(this.urlOrigin + " host", host.host(),
						"a TCP host name or address",
						"pgjdbc cannot connect through a unix socket without extra libraries; "
								+ "use host=localhost (or the server's address) and its TCP port.");
			}
		}
		try {
			return url.toJdbcUrlWithoutParameters();
		}
		catch (InvalidDatabaseUrlException ex) {
			throw new InvalidDbPoolSettingException(this.urlOrigin, "(the URL)", ex.getMessage(),
					"Correct " + this.urlOrigin + " as described.", ex);
		}
	}

	private void resolveSettings() {
		DbPoolProperties p = this.properties;
		int limit = pick("connectionLimit", "connection-limit", p.getConnectionLimit(), urlInt("connection_limit"),
				DEFAULT_CONNECTION_LIMIT);
		if (p.getMinIdle() != null) {
			put("minIdle", p.getMinIdle(), Source.PROPERTY, "db.pool.min-idle");
		}
		else {
			put("minIdle", limit, Source.DERIVED, "db.pool.min-idle");
		}
		pick("poolTimeout", "pool-timeout", p.getPoolTimeout(), urlDuration("pool_timeout"), DEFAULT_POOL_TIMEOUT);
		pick("connectTimeout", "connect-timeout", p.getConnectTimeout(), urlDuration("connect_timeout"),
				DEFAULT_CONNECT_TIMEOUT);
		Duration urlIdle = urlDuration("idle_timeout");
		Duration urlIdleLifetime = urlDuration("max_idle_connection_lifetime");
		if (urlIdle != null && urlIdleLifetime != null && !urlIdle.equals(urlIdleLifetime)) {
			throw new InvalidDbPoolSettingException(this.urlOrigin + " parameter idle_timeout", urlIdle,
					"the same value as max_idle_connection_lifetime (" + urlIdleLifetime + ")",
					"Both set the idle timeout; keep one of them.");
		}
		pick("idleTimeout", "idle-timeout", p.getIdleTimeout(), (urlIdle != null) ? urlIdle : urlIdleLifetime,
				DEFAULT_IDLE_TIMEOUT);
		pick("maxLifetime", "max-lifetime", p.getMaxLifetime(), urlDuration("max_connection_lifetime"),
				DEFAULT_MAX_LIFETIME);
		pick("keepaliveTime", "keepalive-time", p.getKeepaliveTime(), null, DEFAULT_KEEPALIVE_TIME);
		pick("leakDetectionThreshold", "leak-detection-threshold", p.getLeakDetectionThreshold(), null, Duration.ZERO);
		Duration queryTimeout = pick("queryTimeout", "query-timeout", p.getQueryTimeout(),
				urlDuration("statement_timeout"), DEFAULT_QUERY_TIMEOUT);
		pick("idleInTransactionTimeout", "idle-in-transaction-timeout", p.getIdleInTransactionTimeout(),
				urlDuration("idle_in_transaction_session_timeout"), DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT);
		if (pickNullable("socketTimeout", "socket-timeout", p.getSocketTimeout(),
				urlDuration("socket_timeout")) == null) {
			put("socketTimeout", derivedSocketTimeout(queryTimeout), Source.DERIVED, "db.pool.socket-timeout");
		}
		pick("statementCacheSize", "statement-cache-size", p.getStatementCacheSize(), urlInt("statement_cache_size"),
				DEFAULT_STATEMENT_CACHE_SIZE);
		pick("pgbouncer", "pgbouncer", p.getPgbouncer(), urlBoolean("pgbouncer"), Boolean.FALSE);
		pick("sslMode", "ssl-mode", p.getSslMode(), urlText("sslmode"), "prefer");
		resolveSslAccept();
		pickNullable("schema", "schema", p.getSchema(), urlText("schema"));
		String appName = pickNullable("applicationName", "application-name", p.getApplicationName(),
				urlText("application_name"));
		if (appName == null) {
			appName = (this.applicationName != null && !this.applicationName.isBlank()) ? this.applicationName
					: "dbpool";
			put("applicationName", appName, Source.DERIVED, "db.pool.application-name");
		}
		pick("startupTimeout", "startup-timeout", p.getStartupTimeout(), null, DEFAULT_STARTUP_TIMEOUT);
		pick("slowQueryThreshold", "slow-query.threshold", p.getSlowQuery().getThreshold(), null,
				DEFAULT_SLOW_QUERY_THRESHOLD);
		put("poolName", appName, Source.DERIVED, "db.pool.application-name");
		put("instances", p.getInstances(), explicit("instances") ? Source.PROPERTY : Source.DEFAULT,
				"db.pool.instances");
	}

	private void resolveSslAccept() {
		String sslAccept = urlText("sslaccept");
		if (sslAccept == null) {
			return;
		}
		switch (sslAccept) {
			case "strict" -> {
				if (this.entries.get("sslMode").source() != Source.PROPERTY
						&& "require".equals(this.entries.get("sslMode").value())) {
					put("sslMode", "verify-full", Source.URL, this.urlOrigin + " parameter sslaccept");
				}
			}
			case "accept_invalid_certs" -> {
				// pgjdbc's sslmode=require already skips certificate verification.
			}
			default -> throw new InvalidDbPoolSettingException(this.urlOrigin + " parameter sslaccept", sslAccept,
					"strict or accept_invalid_certs", "Use one of Prisma's two values, or sslmode instead.");
		}
	}

	private static Duration derivedSocketTimeout(Duration queryTimeout) {
		if (queryTimeout.isZero()) {
			return Duration.ZERO;
		}
		long millis = queryTimeout.toMillis() * SOCKET_TIMEOUT_FACTOR;
		return Duration.ofSeconds((millis + 999) / 1000);
	}

	private <T> T pick(String name, String property, @Nullable T propertyValue, @Nullable T urlValue, T defaultValue) {
		T value = pickNullable(name, property, propertyValue, urlValue);
		if (value == null) {
			put(name, defaultValue, Source.DEFAULT, "db.pool." + property);
			return defaultValue;
		}
		return value;
	}

	private <T> @Nullable T pickNullable(String name, String property, @Nullable T propertyValue,
			@Nullable T urlValue) {
		boolean fromAlias = propertyValue != null && this.alias.apply(property) != null && !explicit(property);
		if (propertyValue != null && !fromAlias) {
			put(name, propertyValue, Source.PROPERTY, "db.pool." + property);
			return propertyValue;
		}
		if (urlValue != null) {
			put(name, urlValue, Source.URL, this.urlOrigin + " parameter " + urlParameterOf(name));
			return urlValue;
		}
		if (propertyValue != null) {
			put(name, propertyValue, Source.ENVIRONMENT, this.alias.apply(property));
			return propertyValue;
		}
		return null;
	}

	private boolean explicit(String property) {
		return this.explicit.test(property);
	}

	private Source sourceOf(String property) {
		return (this.alias.apply(property) != null && !explicit(property)) ? Source.ENVIRONMENT : Source.PROPERTY;
	}

	private void put(String name, @Nullable Object value, Source source, @Nullable String origin) {
		this.entries.put(name, new Setting(name, value, source));
		this.origins.put(name, (origin != null) ? origin : name);
	}

	private static String urlParameterOf(String name) {
		return switch (name) {
			case "connectionLimit" -> "connection_limit";
			case "poolTimeout" -> "pool_timeout";
			case "connectTimeout" -> "connect_timeout";
			case "idleTimeout" -> "idle_timeout";
			case "maxLifetime" -> "max_connection_lifetime";
			case "queryTimeout" -> "statement_timeout";
			case "idleInTransactionTimeout" -> "idle_in_transaction_session_timeout";
			case "socketTimeout" -> "socket_timeout";
			case "statementCacheSize" -> "statement_cache_size";
			case "sslMode" -> "sslmode";
			case "applicationName" -> "application_name";
			default -> name.toLowerCase(Locale.ROOT);
		};
	}

	private @Nullable Integer urlInt(String parameter) {
		return (this.url != null) ? wrapUrlError(() -> this.url.intParameter(parameter)) : null;
	}

	private @Nullable Boolean urlBoolean(String parameter) {
		return (this.url != null) ? wrapUrlError(() -> this.url.booleanParameter(parameter)) : null;
	}

	private @Nullable Duration urlDuration(String parameter) {
		return (this.url != null) ? wrapUrlError(() -> this.url.durationParameter(parameter)) : null;
	}

	private @Nullable String urlText(String parameter) {
		return (this.url != null) ? this.url.parameter(parameter) : null;
	}

	private <T> @Nullable T wrapUrlError(java.util.function.Supplier<@Nullable T> supplier) {
		try {
			return supplier.get();
		}
		catch (InvalidDatabaseUrlException ex) {
			throw new InvalidDbPoolSettingException(this.urlOrigin, "(see below)", ex.getMessage(),
					"Correct the parameter in " + this.urlOrigin + ".", ex);
		}
	}

	private void validate() {
		int limit = intValue("connectionLimit");
		require("connectionLimit", limit >= 1, "a whole number of at least 1",
				"Set it to the number of connections this instance may hold, for example 10.");
		int minIdle = intValue("minIdle");
		require("minIdle", minIdle >= 0 && minIdle <= limit, "between 0 and connection-limit (" + limit + ")",
				"Lower min-idle or raise connection-limit; HikariCP would otherwise silently use " + limit + ".");
		Duration poolTimeout = duration("poolTimeout");
		require("poolTimeout", poolTimeout.toMillis() >= 1, "at least 1ms",
				"Set the longest a request may wait for a free connection, for example 10s; "
						+ "0 (wait forever) is not supported, since every request would hang while the database is down.");
		Duration connectTimeout = duration("connectTimeout");
		require("connectTimeout", connectTimeout.toMillis() >= 1000 && connectTimeout.toMillis() % 1000 == 0,
				"a whole number of seconds, at least 1s", "pgjdbc takes the connect timeout in whole seconds.");
		Duration maxLifetime = duration("maxLifetime");
		require("maxLifetime", maxLifetime.isZero() || maxLifetime.toSeconds() >= 30, "0 (no limit) or at least 30s",
				"HikariCP silently replaces shorter lifetimes with 30 minutes.");
		Duration idleTimeout = duration("idleTimeout");
		require("idleTimeout", idleTimeout.isZero() || idleTimeout.toSeconds() >= 10, "0 (never) or at least 10s",
				"HikariCP silently raises shorter idle timeouts to 10s.");
		require("idleTimeout",
				idleTimeout.isZero() || maxLifetime.isZero() || idleTimeout.plusSeconds(1).compareTo(maxLifetime) <= 0,
				"at least 1s below max-lifetime (" + format(maxLifetime) + ")",
				"HikariCP would silently disable the idle timeout; lower idle-timeout or raise max-lifetime.");
		require("idleTimeout", this.entries.get("idleTimeout").source() == Source.DEFAULT || minIdle < limit,
				"min-idle below connection-limit (min-idle is " + minIdle + ", a fixed-size pool)",
				"An idle timeout only retires connections above min-idle; set db.pool.min-idle below "
						+ "connection-limit (for example 2) so the pool can shrink, or remove the idle timeout.");
		Duration keepalive = duration("keepaliveTime");
		require("keepaliveTime", keepalive.isZero() || keepalive.toSeconds() >= 30, "0 (off) or at least 30s",
				"HikariCP silently disables shorter keepalive intervals.");
		require("keepaliveTime", keepalive.isZero() || maxLifetime.isZero() || keepalive.compareTo(maxLifetime) < 0,
				"below max-lifetime (" + format(maxLifetime) + ")",
				"HikariCP would silently disable keepalive; lower keepalive-time or raise max-lifetime.");
		Duration leak = duration("leakDetectionThreshold");
		require("leakDetectionThreshold", leak.isZero() || leak.toMillis() >= 2000, "0 (off) or at least 2s",
				"HikariCP silently disables shorter leak detection thresholds.");
		require("leakDetectionThreshold", leak.isZero() || maxLifetime.isZero() || leak.compareTo(maxLifetime) < 0,
				"below max-lifetime (" + format(maxLifetime) + ")",
				"HikariCP would silently disable leak detection; lower the threshold or raise max-lifetime.");
		Duration queryTimeout = duration("queryTimeout");
		require("queryTimeout", !queryTimeout.isNegative(), "0 (no limit) or a positive duration",
				"Set the longest time a statement may run, for example 30s.");
		Duration idleInTransaction = duration("idleInTransactionTimeout");
		require("idleInTransactionTimeout", !idleInTransaction.isNegative(), "0 (no limit) or a positive duration",
				"Set how long a transaction may sit idle, for example 60s.");
		Duration socketTimeout = duration("socketTimeout");
		require("socketTimeout", !socketTimeout.isNegative() && socketTimeout.toMillis() % 1000 == 0,
				"0 (off) or a whole number of seconds", "pgjdbc takes the socket timeout in whole seconds.");
		require("socketTimeout",
				socketTimeout.isZero() || queryTimeout.isZero() || socketTimeout.compareTo(queryTimeout) > 0,
				"above query-timeout (" + format(queryTimeout) + ")",
				"A socket timeout at or below the query timeout cuts off queries the server would still finish; "
						+ "raise it (about 3x query-timeout) or leave it unset to derive it.");
		require("statementCacheSize", intValue("statementCacheSize") >= 0, "0 or more",
				"Set how many prepared statements each connection caches, for example 100.");
		String sslMode = String.valueOf(this.entries.get("sslMode").value());
		require("sslMode", SSL_MODES.contains(sslMode), "one of " + String.join(", ", SSL_MODES),
				"Use a libpq sslmode value.");
		require("startupTimeout", !duration("startupTimeout").isNegative(), "0 (try once) or a positive duration",
				"Set how long startup waits for the database, for example 60s.");
		Duration slow = duration("slowQueryThreshold");
		require("slowQueryThreshold", slow.toNanos() > 0, "a positive duration",
				"Set the time from which a statement counts as slow, for example 500ms.");
		require("instances", intValue("instances") >= 1, "1 or more",
				"Set how many copies of this application share the database server.");
	}

	private void require(String name, boolean valid, String expected, String action) {
		if (!valid) {
			Object value = this.entries.get(name).value();
			throw new InvalidDbPoolSettingException(this.origins.get(name),
					(value instanceof Duration duration) ? format(duration) : value, expected, action);
		}
	}

	private int intValue(String name) {
		return ((Number) this.entries.get(name).value()).intValue();
	}

	private Duration duration(String name) {
		return (Duration) this.entries.get(name).value();
	}

	public static String format(Duration duration) {
		if (duration.isZero()) {
			return "0";
		}
		return (duration.toMillis() % 1000 == 0) ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
	}

	private void applyDriverProperties(DbPoolSettings settings, Properties driver) {
		driver.setProperty("ApplicationName", (String) settings.value("applicationName"));
		driver.setProperty("tcpKeepAlive", "true");
		driver.setProperty("connectTimeout", Long.toString(duration("connectTimeout").toSeconds()));
		driver.setProperty("socketTimeout", Long.toString(duration("socketTimeout").toSeconds()));
		driver.setProperty("preparedStatementCacheQueries", Integer.toString(intValue("statementCacheSize")));
		driver.setProperty("sslmode", (String) settings.value("sslMode"));
		boolean pgbouncer = Boolean.TRUE.equals(settings.value("pgbouncer"));
		if (pgbouncer) {
			driver.setProperty("prepareThreshold", "0");
		}
		Object schema = settings.value("schema");
		if (schema != null) {
			driver.setProperty("currentSchema", schema.toString());
		}
		if (!pgbouncer) {
			StringBuilder options = new StringBuilder();
			options.append("-c statement_timeout=").append(duration("queryTimeout").toMillis());
			options.append(" -c idle_in_transaction_session_timeout=")
				.append(duration("idleInTransactionTimeout").toMillis());
			String urlOptions = driver.getProperty("options");
			if (urlOptions != null && !urlOptions.isBlank()) {
				options.append(' ').append(urlOptions);
			}
			driver.setProperty("options", options.toString());
		}
		else {
			boolean explicitTimeouts = this.entries.get("queryTimeout").source() != Source.DEFAULT
					|| this.entries.get("idleInTransactionTimeout").source() != Source.DEFAULT;
			String message = "pgbouncer=true: statement_timeout {} and idle_in_transaction_session_timeout {} are not "
					+ "sent (PgBouncer rejects startup options); set them with ALTER ROLE ... SET on the server";
			if (explicitTimeouts) {
				logger.warn(message, format(duration("queryTimeout")), format(duration("idleInTransactionTimeout")));
			}
			else {
				logger.info(message, format(duration("queryTimeout")), format(duration("idleInTransactionTimeout")));
			}
		}
		if (pgbouncer && driver.getProperty("options") != null) {
			throw new InvalidDbPoolSettingException(this.urlOrigin + " parameter options",
					driver.getProperty("options"), "no startup options when pgbouncer=true",
					"PgBouncer rejects the 'options' startup parameter; set server parameters with "
							+ "ALTER ROLE ... SET instead, or turn pgbouncer off.");
		}
		this.properties.getDataSourceProperties().forEach(driver::setProperty);
	}

}
