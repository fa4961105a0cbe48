package dev.dbpool.datasource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import dev.dbpool.common.Durations;
import dev.dbpool.common.InvalidDbPoolSettingException;
import dev.dbpool.common.SettingProblem;
import dev.dbpool.config.DbPoolSettings.Source;
import dev.dbpool.config.DbPoolSettings.Value;
import dev.dbpool.config.DbPoolSettings;
import dev.dbpool.config.PoolSetting;
import dev.dbpool.config.PoolSettingTable;
import dev.dbpool.config.SettingValues;
import dev.dbpool.url.DatabaseUrl;
import dev.dbpool.url.HostAndPort;
import dev.dbpool.url.InvalidDatabaseUrlException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static dev.dbpool.config.PoolSettingTable.APPLICATION_NAME;
import static dev.dbpool.config.PoolSettingTable.CONNECTION_LIMIT;
import static dev.dbpool.config.PoolSettingTable.CONNECT_TIMEOUT;
import static dev.dbpool.config.PoolSettingTable.FAIR_ADMISSION;
import static dev.dbpool.config.PoolSettingTable.IDLE_IN_TRANSACTION_TIMEOUT;
import static dev.dbpool.config.PoolSettingTable.IDLE_TIMEOUT;
import static dev.dbpool.config.PoolSettingTable.KEEPALIVE_TIME;
import static dev.dbpool.config.PoolSettingTable.LEAK_DETECTION_THRESHOLD;
import static dev.dbpool.config.PoolSettingTable.MAX_LIFETIME;
import static dev.dbpool.config.PoolSettingTable.MIN_IDLE;
import static dev.dbpool.config.PoolSettingTable.PGBOUNCER;
import static dev.dbpool.config.PoolSettingTable.QUERY_TIMEOUT;
import static dev.dbpool.config.PoolSettingTable.REWRITE_BATCHED_INSERTS;
import static dev.dbpool.config.PoolSettingTable.SCHEMA;
import static dev.dbpool.config.PoolSettingTable.SOCKET_TIMEOUT;
import static dev.dbpool.config.PoolSettingTable.SSL_MODE;
import static dev.dbpool.config.PoolSettingTable.STATEMENT_CACHE_SIZE;

/**
 * Resolves every pool setting of the {@link PoolSettingTable} by one rule: an explicit
 * {@code db.pool.*} property beats a URL query parameter, which beats a seed environment
 * alias, which beats the tuned default. Then validates the result, so that nothing
 * HikariCP or pgjdbc would silently ignore or reset reaches them, and reports every
 * problem at once. No Spring inside: the texts come from {@link SettingValues}.
 */
public final class PoolSettingsResolver {

	private static final Logger logger = LoggerFactory.getLogger(PoolSettingsResolver.class);

	static final int SOCKET_TIMEOUT_FACTOR = 3;

	/**
	 * Longest a call may wait on a dead connection beyond the query timeout: bounds the
	 * derived socket timeout and the age at which a running statement's connection is
	 * aborted.
	 */
	public static final Duration DEAD_CONNECTION_MARGIN = Duration.ofSeconds(10);

	private final SettingValues values;

	private final Map<String, String> dataSourceProperties;

	private final @Nullable String applicationName;

	private final boolean virtualThreads;

	private final Map<PoolSetting<?>, Value<?>> resolved = new LinkedHashMap<>();

	private final List<SettingProblem> problems = new ArrayList<>();

	private @Nullable DatabaseUrl url;

	private SettingValues.@Nullable Text urlText;

	private String urlOrigin = PoolSettingTable.URL.property();

	private Source urlSource = Source.PROPERTY;

	/**
	 * Create a resolver.
	 * @param values the texts of the {@code db.pool.*} properties and seed aliases
	 * @param dataSourceProperties {@code db.pool.data-source-properties}
	 * @param applicationName {@code spring.application.name}, if set
	 */
	public PoolSettingsResolver(SettingValues values, Map<String, String> dataSourceProperties,
			@Nullable String applicationName) {
		this(values, dataSourceProperties, applicationName, false);
	}

	/**
	 * Create a resolver.
	 * @param values the texts of the {@code db.pool.*} properties and seed aliases
	 * @param dataSourceProperties {@code db.pool.data-source-properties}
	 * @param applicationName {@code spring.application.name}, if set
	 * @param virtualThreads {@code spring.threads.virtual.enabled}
	 */
	public PoolSettingsResolver(SettingValues values, Map<String, String> dataSourceProperties,
			@Nullable String applicationName, boolean virtualThreads) {
		this.values = values;
		this.dataSourceProperties = Map.copyOf(dataSourceProperties);
		this.applicationName = applicationName;
		this.virtualThreads = virtualThreads;
	}

	/**
	 * Resolve the pool against a server address.
	 * @param address where the server is when a connection-details bean (Testcontainers,
	 * Docker Compose) or {@code spring.datasource.url} supplies it, otherwise null
	 * @return the pool definition
	 * @throws InvalidDbPoolSettingException listing every problem found
	 */
	public PoolDefinition resolve(@Nullable ServerAddress address) {
		this.url = parseUrl();
		String jdbcUrl = null;
		String username;
		String password;
		Properties driverProperties = new Properties();
		boolean addressWins = address != null && (address.overridesUrl() || this.url == null);
		if (addressWins) {
			jdbcUrl = address.jdbcUrl();
			username = address.username();
			password = address.password();
			put(PoolSettingTable.URL, jdbcUrl, address.source(), address.origin());
			if (username != null) {
				put(PoolSettingTable.USERNAME, username, address.source(), address.usernameOrigin());
			}
		}
		else if (this.url != null) {
			jdbcUrl = jdbcUrlOf(this.url);
			username = this.url.username();
			password = this.url.password();
			driverProperties.putAll(this.url.driverProperties());
			put(PoolSettingTable.URL, jdbcUrl, this.urlSource, this.urlOrigin);
			if (username != null) {
				put(PoolSettingTable.USERNAME, username, this.urlSource, this.urlOrigin);
			}
		}
		else {
			username = null;
			password = null;
			if (this.urlText == null) {
				this.problems.add(new SettingProblem(PoolSettingTable.URL.property(), "(not set)",
						"a postgresql:// or jdbc:postgresql:// URL",
						"Set the DATABASE_URL environment variable or db.pool.url, for example "
								+ "postgresql://app:secret@localhost:5432/app?connection_limit=10."));
			}
		}
		SettingValues.Text explicitUser = this.values.property(PoolSettingTable.USERNAME);
		if (explicitUser != null) {
			username = explicitUser.text();
			put(PoolSettingTable.USERNAME, username, Source.PROPERTY, explicitUser.origin());
		}
		SettingValues.Text explicitPassword = this.values.property(PoolSettingTable.PASSWORD);
		if (explicitPassword != null) {
			password = explicitPassword.text();
		}
		resolveSettings();
		if (!this.problems.isEmpty() || jdbcUrl == null) {
			throw new InvalidDbPoolSettingException(this.problems);
		}
		DbPoolSettings settings = settings();
		return new PoolDefinition(settings, jdbcUrl, username, password, driverProperties(settings, driverProperties));
	}

	/**
	 * The problems of the settings alone (what the URL's parameters, the properties and
	 * the aliases say), without an address; for the startup check.
	 * @return every problem found
	 */
	public List<SettingProblem> settingProblems() {
		this.url = parseUrl();
		if (this.url != null) {
			jdbcUrlOf(this.url);
		}
		resolveSettings();
		if (this.problems.isEmpty()) {
			try {
				driverProperties(settings(), new Properties());
			}
			catch (InvalidDbPoolSettingException ex) {
				this.problems.addAll(ex.getProblems());
			}
		}
		return List.copyOf(this.problems);
	}

	private DbPoolSettings settings() {
		DbPoolSettings.Builder builder = DbPoolSettings.builder();
		this.resolved.values().forEach((value) -> putInto(builder, value));
		return builder.build();
	}

	private static <T> void putInto(DbPoolSettings.Builder builder, Value<T> value) {
		builder.put(value.setting(), value.value(), value.source(), value.origin());
	}

	private @Nullable DatabaseUrl parseUrl() {
		SettingValues.Text property = this.values.property(PoolSettingTable.URL);
		SettingValues.Text alias = this.values.alias(PoolSettingTable.URL);
		this.urlText = (property != null && !property.text().isBlank()) ? property
				: (alias != null && !alias.text().isBlank()) ? alias : null;
		if (this.urlText == null) {
			return null;
		}
		this.urlOrigin = this.urlText.origin();
		this.urlSource = (this.urlText == property) ? Source.PROPERTY : Source.ENVIRONMENT;
		try {
			DatabaseUrl parsed = DatabaseUrl.parse(this.urlText.text());
			if (!parsed.untranslatedParameters().isEmpty()) {
				logger.warn("{} parameters {} are libpq settings pgjdbc has no equivalent for; they have no effect",
						this.urlOrigin, parsed.untranslatedParameters());
			}
			return parsed;
		}
		catch (InvalidDatabaseUrlException ex) {
			this.problems.add(new SettingProblem(this.urlOrigin, "(the URL, not shown because it may hold a password)",
					"a valid postgresql:// or jdbc:postgresql:// URL; " + ex.getMessage(),
					"Correct " + this.urlOrigin + " as described."));
			return null;
		}
	}

	private @Nullable String jdbcUrlOf(DatabaseUrl url) {
		for (HostAndPort host : url.hosts()) {
			if (host.isUnixSocket()) {
				this.problems
					.add(new SettingProblem(this.urlOrigin + " host", host.host(), "a TCP host name or address",
							"pgjdbc cannot connect through a unix socket without extra libraries; "
									+ "use host=localhost (or the server's address) and its TCP port."));
				return null;
			}
		}
		try {
			return url.toJdbcUrlWithoutParameters();
		}
		catch (InvalidDatabaseUrlException ex) {
			this.problems.add(new SettingProblem(this.urlOrigin, "(the URL)", ex.getMessage(),
					"Correct " + this.urlOrigin + " as described."));
			return null;
		}
	}

	private void resolveSettings() {
		for (PoolSetting<?> setting : PoolSettingTable.all()) {
			if (setting.isEffective() && setting != PoolSettingTable.URL && setting != PoolSettingTable.USERNAME) {
				resolve(setting);
			}
		}
		checkIdleTimeoutParameters();
		resolveSslAccept();
		validateTogether();
	}

	private <T> void resolve(PoolSetting<T> setting) {
		Value<T> value = pick(setting);
		if (value == null) {
			value = derived(setting);
		}
		if (value == null && setting.defaultValue().isPresent()) {
			value = new Value<>(setting, setting.defaultValue().get(), Source.DEFAULT, setting.property());
		}
		if (value == null) {
			if (setting == SCHEMA) {
				return;
			}
			throw new IllegalStateException(setting.property() + " has neither a default nor a derivation");
		}
		if (value.value() != null && value.source() != Source.DEFAULT) {
			setting.check(value.value(), value.printed(), value.origin(), this.problems::add);
		}
		this.resolved.put(setting, value);
	}

	/** The explicit property, else a URL parameter, else a seed alias. */
	private <T> @Nullable Value<T> pick(PoolSetting<T> setting) {
		SettingValues.Text property = this.values.property(setting);
		if (property != null) {
			T value = setting.read(property.text(), property.origin(), true, this.problems::add);
			return (value != null) ? new Value<>(setting, value, Source.PROPERTY, property.origin()) : null;
		}
		if (this.url != null) {
			for (String parameter : setting.urlParameters()) {
				T value = readUrl(setting, parameter);
				if (value != null) {
					return new Value<>(setting, value, Source.URL, this.urlOrigin + " parameter " + parameter);
				}
			}
		}
		SettingValues.Text alias = this.values.alias(setting);
		if (alias != null) {
			T value = setting.read(alias.text(), alias.origin(), false, this.problems::add);
			return (value != null) ? new Value<>(setting, value, Source.ENVIRONMENT, alias.origin()) : null;
		}
		return null;
	}

	private <T> @Nullable T readUrl(PoolSetting<T> setting, String parameter) {
		try {
			return setting.readUrlParameter(this.url, parameter);
		}
		catch (InvalidDatabaseUrlException ex) {
			this.problems.add(new SettingProblem(this.urlOrigin + " parameter " + parameter, "(see below)",
					ex.getMessage(), "Correct the parameter in " + this.urlOrigin + "."));
			return null;
		}
	}

	/** The settings whose default comes from other values. */
	@SuppressWarnings("unchecked")
	private <T> @Nullable Value<T> derived(PoolSetting<T> setting) {
		Object value;
		if (setting == MIN_IDLE) {
			value = get(CONNECTION_LIMIT);
		}
		else if (setting == SOCKET_TIMEOUT) {
			value = derivedSocketTimeout(get(QUERY_TIMEOUT));
		}
		else if (setting == APPLICATION_NAME) {
			value = (this.applicationName != null && !this.applicationName.isBlank()) ? this.applicationName : "dbpool";
		}
		else if (setting == FAIR_ADMISSION) {
			value = this.virtualThreads;
		}
		else {
			return null;
		}
		return new Value<>(setting, (T) value, Source.DERIVED, setting.property());
	}

	private <T> T get(PoolSetting<T> setting) {
		Value<?> value = this.resolved.get(setting);
		if (value == null || value.value() == null) {
			throw new IllegalStateException(setting.property() + " is resolved after a setting derived from it");
		}
		return setting.type().cast(value.value());
	}

	private void checkIdleTimeoutParameters() {
		if (this.url == null) {
			return;
		}
		Duration idle = readUrl(IDLE_TIMEOUT, "idle_timeout");
		Duration idleLifetime = readUrl(IDLE_TIMEOUT, "max_idle_connection_lifetime");
		if (idle != null && idleLifetime != null && !idle.equals(idleLifetime)) {
			this.problems.add(new SettingProblem(this.urlOrigin + " parameter idle_timeout", Durations.format(idle),
					"the same value as max_idle_connection_lifetime (" + Durations.format(idleLifetime) + ")",
					"Both set the idle timeout; keep one of them."));
		}
	}

	private void resolveSslAccept() {
		String sslAccept = (this.url != null) ? this.url.parameter("sslaccept") : null;
		if (sslAccept == null) {
			return;
		}
		switch (sslAccept) {
			case "strict" -> {
				Value<?> mode = this.resolved.get(SSL_MODE);
				if (mode != null && mode.source() != Source.PROPERTY && "require".equals(mode.value())) {
					put(SSL_MODE, "verify-full", Source.URL, this.urlOrigin + " parameter sslaccept");
				}
			}
			case "accept_invalid_certs" -> {
				// pgjdbc's sslmode=require already skips certificate verification.
			}
			default -> this.problems.add(new SettingProblem(this.urlOrigin + " parameter sslaccept", sslAccept,
					"strict or accept_invalid_certs", "Use one of Prisma's two values, or sslmode instead."));
		}
	}

	/** The rules that tie two settings together. */
	private void validateTogether() {
		if (!this.problems.isEmpty()) {
			// A value that did not read stands in as its default; rules across settings
			// would only repeat the problem.
			return;
		}
		int limit = get(CONNECTION_LIMIT);
		int minIdle = get(MIN_IDLE);
		require(MIN_IDLE, minIdle <= limit, "between 0 and connection-limit (" + limit + ")",
				"Lower min-idle or raise connection-limit; HikariCP would otherwise silently use " + limit + ".");
		Duration maxLifetime = get(MAX_LIFETIME);
		Duration idleTimeout = get(IDLE_TIMEOUT);
		require(IDLE_TIMEOUT,
				idleTimeout.isZero() || maxLifetime.isZero() || idleTimeout.plusSeconds(1).compareTo(maxLifetime) <= 0,
				"at least 1s below max-lifetime (" + Durations.format(maxLifetime) + ")",
				"HikariCP would silently disable the idle timeout; lower idle-timeout or raise max-lifetime.");
		require(IDLE_TIMEOUT, this.resolved.get(IDLE_TIMEOUT).source() == Source.DEFAULT || minIdle < limit,
				"min-idle below connection-limit (min-idle is " + minIdle + ", a fixed-size pool)",
				"An idle timeout only retires connections above min-idle; set db.pool.min-idle below "
						+ "connection-limit (for example 2) so the pool can shrink, or remove the idle timeout.");
		Duration keepalive = get(KEEPALIVE_TIME);
		require(KEEPALIVE_TIME, keepalive.isZero() || maxLifetime.isZero() || keepalive.compareTo(maxLifetime) < 0,
				"below max-lifetime (" + Durations.format(maxLifetime) + ")",
				"HikariCP would silently disable keepalive; lower keepalive-time or raise max-lifetime.");
		Duration leak = get(LEAK_DETECTION_THRESHOLD);
		require(LEAK_DETECTION_THRESHOLD, leak.isZero() || maxLifetime.isZero() || leak.compareTo(maxLifetime) < 0,
				"below max-lifetime (" + Durations.format(maxLifetime) + ")",
				"HikariCP would silently disable leak detection; lower the threshold or raise max-lifetime.");
		Duration queryTimeout = get(QUERY_TIMEOUT);
		Duration socketTimeout = get(SOCKET_TIMEOUT);
		require(SOCKET_TIMEOUT,
				socketTimeout.isZero() || queryTimeout.isZero() || socketTimeout.compareTo(queryTimeout) > 0,
				"above query-timeout (" + Durations.format(queryTimeout) + ")",
				"A socket timeout at or below the query timeout cuts off queries the server would still finish; "
						+ "raise it (query-timeout + 10s at most keeps calls on a dead connection short) or leave it "
						+ "unset to derive it.");
	}

	private void require(PoolSetting<?> setting, boolean valid, String expected, String action) {
		if (!valid) {
			Value<?> value = this.resolved.get(setting);
			this.problems.add(new SettingProblem(value.origin(), value.printed(), expected, action));
		}
	}

	private <T> void put(PoolSetting<T> setting, T value, Source source, String origin) {
		this.resolved.put(setting, new Value<>(setting, value, source, origin));
	}

	private static Duration derivedSocketTimeout(Duration queryTimeout) {
		if (queryTimeout.isZero()) {
			return Duration.ZERO;
		}
		// Room for the server to report its own statement timeout, but no call waits on
		// a dead connection longer than the query timeout plus the margin.
		long millis = Math.min(queryTimeout.toMillis() * SOCKET_TIMEOUT_FACTOR,
				queryTimeout.plus(DEAD_CONNECTION_MARGIN).toMillis());
		return Duration.ofSeconds((millis + 999) / 1000);
	}

	private Properties driverProperties(DbPoolSettings settings, Properties driver) {
		driver.setProperty("ApplicationName", settings.get(APPLICATION_NAME));
		driver.setProperty("tcpKeepAlive", "true");
		driver.setProperty("connectTimeout", Long.toString(settings.get(CONNECT_TIMEOUT).toSeconds()));
		driver.setProperty("socketTimeout", Long.toString(settings.get(SOCKET_TIMEOUT).toSeconds()));
		driver.setProperty("preparedStatementCacheQueries", Integer.toString(settings.get(STATEMENT_CACHE_SIZE)));
		driver.setProperty("sslmode", settings.get(SSL_MODE));
		// Measured in docs/benchmarks.md: 1,000-row batches several times faster than one
		// INSERT per row; the price is SUCCESS_NO_INFO (-2) update counts.
		driver.setProperty("reWriteBatchedInserts", String.valueOf(settings.get(REWRITE_BATCHED_INSERTS)));
		boolean pgbouncer = settings.get(PGBOUNCER);
		if (pgbouncer) {
			driver.setProperty("prepareThreshold", "0");
		}
		String schema = settings.find(SCHEMA);
		if (schema != null) {
			driver.setProperty("currentSchema", schema);
		}
		Duration queryTimeout = settings.get(QUERY_TIMEOUT);
		Duration idleInTransaction = settings.get(IDLE_IN_TRANSACTION_TIMEOUT);
		if (!pgbouncer) {
			StringBuilder options = new StringBuilder();
			options.append("-c statement_timeout=").append(queryTimeout.toMillis());
			options.append(" -c idle_in_transaction_session_timeout=").append(idleInTransaction.toMillis());
			String urlOptions = driver.getProperty("options");
			if (urlOptions != null && !urlOptions.isBlank()) {
				options.append(' ').append(urlOptions);
			}
			driver.setProperty("options", options.toString());
		}
		else {
			boolean explicitTimeouts = settings.source(QUERY_TIMEOUT) != Source.DEFAULT
					|| settings.source(IDLE_IN_TRANSACTION_TIMEOUT) != Source.DEFAULT;
			String message = "pgbouncer=true: statement_timeout {} and idle_in_transaction_session_timeout {} are not "
					+ "sent (PgBouncer rejects startup options); set them with ALTER ROLE ... SET on the server";
			if (explicitTimeouts) {
				logger.warn(message, Durations.format(queryTimeout), Durations.format(idleInTransaction));
			}
			else {
				logger.info(message, Durations.format(queryTimeout), Durations.format(idleInTransaction));
			}
		}
		if (pgbouncer && driver.getProperty("options") != null) {
			throw new InvalidDbPoolSettingException(this.urlOrigin + " parameter options",
					driver.getProperty("options"), "no startup options when pgbouncer=true",
					"PgBouncer rejects the 'options' startup parameter; set server parameters with "
							+ "ALTER ROLE ... SET instead, or turn pgbouncer off.");
		}
		this.dataSourceProperties.forEach(driver::setProperty);
		return driver;
	}

}
