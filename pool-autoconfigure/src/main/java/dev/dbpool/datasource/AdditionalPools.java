package dev.dbpool.datasource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import dev.dbpool.common.InvalidDbPoolSettingException;
import dev.dbpool.common.SettingProblem;
import dev.dbpool.config.EnvironmentSettingValues;
import dev.dbpool.config.PoolSetting;
import dev.dbpool.config.PoolSettingTable;
import dev.dbpool.config.SettingValues;
import dev.dbpool.retry.TransientFailureClassifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Named pools next to the primary, configured under {@code db.pool.additional.<name>.*}
 * with the same settings, URL parameters, defaults and checks as the primary (through
 * {@link PoolSettingsResolver} and {@link PoolDataSourceFactory}). Each is a DataSource
 * bean {@code <name>DataSource} that is not a default candidate, so the primary stays the
 * DataSource of JdbcTemplate, the transaction manager and JPA; its pool is named
 * {@code <application name>-<name>}, the tag of its metrics.
 */
public final class AdditionalPools {

	/** Prefix of the additional pools' properties. */
	public static final String PREFIX = PoolSettingTable.ADDITIONAL_PREFIX;

	private static final Logger logger = LoggerFactory.getLogger(AdditionalPools.class);

	private static final ConfigurationPropertyName PREFIX_NAME = ConfigurationPropertyName.of(PREFIX);

	private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

	/**
	 * Settings of {@code db.pool.*} that belong to the application, not to one pool (the
	 * slow-query threshold and the number of instances are the application's too).
	 */
	private static final Set<String> APPLICATION_SETTINGS = Set.of("retry", "health", "shutdown", "endpoint", "replica",
			"observation", "alerts", "additional", "slow-query", "instances");

	private final Map<String, PoolDefinition> definitions;

	private final Duration healthTimeout;

	private final TransientFailureClassifier classifier;

	private final Supplier<List<HikariConfigCustomizer>> customizers;

	AdditionalPools(Map<String, PoolDefinition> definitions, Duration healthTimeout,
			TransientFailureClassifier classifier, Supplier<List<HikariConfigCustomizer>> customizers) {
		this.definitions = Collections.unmodifiableMap(new LinkedHashMap<>(definitions));
		this.healthTimeout = healthTimeout;
		this.classifier = classifier;
		this.customizers = customizers;
	}

	/**
	 * Resolve every additional pool of the environment, reporting all bad settings of all
	 * pools at once.
	 * @param healthTimeout longest time a health check of an additional pool may take
	 * @param environment the environment
	 * @param primaryPoolName the primary pool's name, the prefix of theirs
	 * @param classifier the classifier of the startup check
	 * @param customizers the application's {@link HikariConfigCustomizer} beans in order,
	 * asked for when a pool is built
	 * @return the additional pools
	 */
	public static AdditionalPools load(Duration healthTimeout, ConfigurableEnvironment environment,
			String primaryPoolName, TransientFailureClassifier classifier,
			Supplier<List<HikariConfigCustomizer>> customizers) {
		Map<String, PoolDefinition> definitions = new LinkedHashMap<>();
		List<SettingProblem> problems = new ArrayList<>();
		for (String name : names(environment)) {
			try {
				definitions.put(name, load(name, environment, primaryPoolName));
			}
			catch (InvalidDbPoolSettingException ex) {
				problems.addAll(ex.getProblems());
			}
		}
		if (!problems.isEmpty()) {
			throw new InvalidDbPoolSettingException(problems);
		}
		definitions.forEach((name, definition) -> logger.info("Additional pool '{}' ({}) on {} as {}: {}", name,
				dataSourceBeanName(name), definition.jdbcUrl(), definition.username(), definition.settings()));
		return new AdditionalPools(definitions, healthTimeout, classifier, customizers);
	}

	/**
	 * Every problem of the additional pools' settings, for the check that runs before any
	 * bean is created.
	 * @param environment the environment
	 * @return the problems, empty when all is well
	 */
	public static List<SettingProblem> problems(ConfigurableEnvironment environment) {
		List<SettingProblem> problems = new ArrayList<>();
		for (String name : names(environment)) {
			try {
				problems.addAll(resolver(name, environment, true).settingProblems()
					.stream()
					.map((problem) -> underPool(problem, name))
					.toList());
			}
			catch (InvalidDbPoolSettingException ex) {
				problems.addAll(ex.getProblems());
			}
		}
		return problems;
	}

	private static PoolDefinition load(String name, ConfigurableEnvironment environment, String primaryPoolName) {
		try {
			return resolver(name, environment, false).resolve(null).withPoolName(primaryPoolName + "-" + name);
		}
		catch (InvalidDbPoolSettingException ex) {
			throw new InvalidDbPoolSettingException(
					ex.getProblems().stream().map((problem) -> underPool(problem, name)).toList());
		}
	}

	private static PoolSettingsResolver resolver(String name, ConfigurableEnvironment environment,
			boolean settingsOnly) {
		String prefix = PREFIX + "." + name;
		if (!NAME.matcher(name).matches()) {
			throw new InvalidDbPoolSettingException(prefix, name,
					"a pool name of lower-case letters and digits, "
							+ "words joined by '-' (it names the bean, the pool and its metrics tag)",
					"Rename the pool, for example " + PREFIX + ".reports.url.");
		}
		rejectApplicationGroups(environment, name);
		EnvironmentSettingValues values = EnvironmentSettingValues.forAdditionalPool(environment, name);
		SettingValues.Text url = values.property(PoolSettingTable.URL);
		if (url == null || !StringUtils.hasText(url.text())) {
			throw new InvalidDbPoolSettingException(prefix + ".url", "(not set)",
					"a postgresql:// or jdbc:postgresql:// URL for additional pool '" + name + "'",
					"Set " + prefix + ".url (or DB_POOL_ADDITIONAL_" + name.replace("-", "").toUpperCase(Locale.ROOT)
							+ "_URL), or remove the other " + prefix + ".* settings.");
		}
		Map<String, String> dataSourceProperties = Binder.get(environment)
			.bind(values.propertyOf(PoolSettingTable.DATA_SOURCE_PROPERTIES),
					Bindable.mapOf(String.class, String.class))
			.orElseGet(Map::of);
		return new PoolSettingsResolver(values, dataSourceProperties,
				environment.getProperty("spring.application.name"),
				environment.getProperty("spring.threads.virtual.enabled", Boolean.class, false));
	}

	/**
	 * A problem named for the pool's own property: the resolver names the primary's in
	 * the checks of several settings together.
	 */
	private static SettingProblem underPool(SettingProblem problem, String name) {
		String prefix = PREFIX + "." + name + ".";
		if (problem.property().startsWith(prefix) || !problem.property().startsWith(PoolSetting.PREFIX)) {
			return problem;
		}
		return new SettingProblem(prefix + problem.property().substring(PoolSetting.PREFIX.length()), problem.value(),
				problem.expected(), problem.action());
	}

	/**
	 * {@code db.pool.retry.*}, {@code health}, {@code endpoint} and the other
	 * application-wide settings have one value for the application; set under an
	 * additional pool they would be silently ignored.
	 */
	private static void rejectApplicationGroups(ConfigurableEnvironment environment, String name) {
		ConfigurationPropertyName pool = PREFIX_NAME.append(name);
		int depth = pool.getNumberOfElements();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				for (ConfigurationPropertyName property : iterable) {
					if (!pool.isAncestorOf(property)) {
						continue;
					}
					String setting = property.getElement(depth, ConfigurationPropertyName.Form.DASHED);
					if (APPLICATION_SETTINGS.contains(setting)) {
						throw new InvalidDbPoolSettingException(property.toString(), "(set)",
								"only pool settings under " + pool + " (url, connection-limit, timeouts, ...)",
								"db.pool." + setting + " applies to the whole application; set it there, "
										+ "without the pool name.");
					}
				}
			}
		}
	}

	/**
	 * Names of the additional pools configured in an environment, sorted.
	 * @param environment the environment
	 * @return the names
	 */
	public static Set<String> names(Environment environment) {
		Set<String> names = new TreeSet<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.filter(PREFIX_NAME::isAncestorOf)
					.forEach((property) -> names.add(property.getElement(PREFIX_NAME.getNumberOfElements(),
							ConfigurationPropertyName.Form.DASHED)));
			}
		}
		return names;
	}

	/**
	 * Bean name of an additional pool's DataSource: {@code reports} gives
	 * {@code reportsDataSource}, {@code audit-log} gives {@code auditLogDataSource}.
	 * @param name the pool's name
	 * @return the bean name
	 */
	public static String dataSourceBeanName(String name) {
		return camelCase(name) + "DataSource";
	}

	/**
	 * Bean name of an additional pool's health contributor,
	 * {@code dbReportsHealthContributor} (health component {@code dbReports}).
	 * @param name the pool's name
	 * @return the bean name
	 */
	public static String healthContributorBeanName(String name) {
		return "db" + StringUtils.capitalize(camelCase(name)) + "HealthContributor";
	}

	private static String camelCase(String name) {
		StringBuilder camel = new StringBuilder();
		for (String word : name.split("-")) {
			camel.append(camel.isEmpty() ? word : StringUtils.capitalize(word));
		}
		return camel.toString();
	}

	/** Every additional pool by name, in name order. */
	public Map<String, PoolDefinition> definitions() {
		return this.definitions;
	}

	/**
	 * Build an additional pool the way the primary is built: wait for its server, then
	 * create the tuned pool, apply the application's {@link HikariConfigCustomizer}s and
	 * start it.
	 * @param name the pool's name
	 * @return the started pool
	 */
	public DataSource dataSource(String name) {
		PoolDefinition definition = definition(name);
		new StartupConnectionCheck(new org.postgresql.Driver(), this.classifier).await(definition,
				definition.settings().get(PoolSettingTable.STARTUP_TIMEOUT));
		return PoolDataSourceFactory.create(definition, true, this.customizers.get());
	}

	/** Longest time a health check of an additional pool may take. */
	Duration healthTimeout() {
		return this.healthTimeout;
	}

	private PoolDefinition definition(String name) {
		PoolDefinition definition = this.definitions.get(name);
		if (definition == null) {
			throw new IllegalStateException("No additional pool '" + name + "' in " + this.definitions.keySet());
		}
		return definition;
	}

}
