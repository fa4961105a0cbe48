package dev.dbpool.datasource;

import dev.dbpool.config.DbPoolEnvironmentPostProcessor;

import dev.dbpool.common.InvalidDbPoolSettingException;

import java.util.Map;

import dev.dbpool.config.DbPoolProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Reads what {@link PoolSettingsResolver} needs from the Spring environment: which
 * {@code db.pool.*} properties were set explicitly, which came from a seed alias, the
 * application name, and a server address from a connection-details bean or
 * {@code spring.datasource.*}.
 */
public final class PoolDefinitionLoader {

	private static final String BOOT_PROPERTIES_DETAILS = "org.springframework.boot.jdbc.autoconfigure.PropertiesJdbcConnectionDetails";

	private static final ConfigurationPropertyName HIKARI_PREFIX = ConfigurationPropertyName
		.of("spring.datasource.hikari");

	private static final Map<String, String> HIKARI_REPLACEMENTS = Map.ofEntries(
			Map.entry("maximum-pool-size", "db.pool.connection-limit"), Map.entry("minimum-idle", "db.pool.min-idle"),
			Map.entry("connection-timeout", "db.pool.pool-timeout"), Map.entry("idle-timeout", "db.pool.idle-timeout"),
			Map.entry("max-lifetime", "db.pool.max-lifetime"), Map.entry("keepalive-time", "db.pool.keepalive-time"),
			Map.entry("leak-detection-threshold", "db.pool.leak-detection-threshold"),
			Map.entry("pool-name", "db.pool.application-name"),
			Map.entry("data-source-properties", "db.pool.data-source-properties"),
			Map.entry("username", "db.pool.username"), Map.entry("password", "db.pool.password"),
			Map.entry("jdbc-url", "db.pool.url"));

	private PoolDefinitionLoader() {
	}

	/**
	 * Resolve the pool definition for this environment.
	 * @param properties the bound {@code db.pool} properties
	 * @param environment the environment they were bound from
	 * @param connectionDetails a connection-details bean, if one exists
	 * @return the pool definition
	 */
	public static PoolDefinition load(DbPoolProperties properties, ConfigurableEnvironment environment,
			@Nullable JdbcConnectionDetails connectionDetails) {
		rejectBootHikariProperties(environment);
		PoolSettingsResolver resolver = new PoolSettingsResolver(properties,
				(property) -> isExplicit(environment, property),
				(property) -> DbPoolEnvironmentPostProcessor.aliasFor(environment, "db.pool." + property),
				environment.getProperty("spring.application.name"));
		return resolver.resolve(serverAddress(environment, connectionDetails));
	}

	private static @Nullable ServerAddress serverAddress(ConfigurableEnvironment environment,
			@Nullable JdbcConnectionDetails connectionDetails) {
		if (connectionDetails != null && !BOOT_PROPERTIES_DETAILS.equals(connectionDetails.getClass().getName())) {
			return new ServerAddress(connectionDetails.getJdbcUrl(), connectionDetails.getUsername(),
					connectionDetails.getPassword(), true);
		}
		String url = environment.getProperty("spring.datasource.url");
		if (url != null && !url.isBlank()) {
			return new ServerAddress(url, environment.getProperty("spring.datasource.username"),
					environment.getProperty("spring.datasource.password"), false);
		}
		return null;
	}

	/**
	 * Boot's {@code spring.datasource.hikari.*} properties configure Boot's own pool,
	 * which the starter replaces; ignoring them would silently change the application's
	 * pool.
	 */
	private static void rejectBootHikariProperties(ConfigurableEnvironment environment) {
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (!(source instanceof IterableConfigurationPropertySource iterable)) {
				continue;
			}
			for (ConfigurationPropertyName name : iterable) {
				if (HIKARI_PREFIX.isAncestorOf(name)) {
					String property = name.toString();
					String setting = property.substring(HIKARI_PREFIX.toString().length() + 1);
					String replacement = HIKARI_REPLACEMENTS.getOrDefault(setting.replaceFirst("\\[.*|\\..*", ""),
							null);
					throw new InvalidDbPoolSettingException(property,
							(setting.contains("password")) ? "****"
									: iterable.getConfigurationProperty(name).getValue(),
							"no spring.datasource.hikari.* settings: the dbpool starter builds the pool from db.pool.*",
							(replacement != null) ? "Use " + replacement + " instead." : "Remove it, or set the pgjdbc "
									+ "property through db.pool.data-source-properties, or define your own DataSource bean "
									+ "to take over the pool.");
				}
			}
		}
	}

	static boolean isExplicit(ConfigurableEnvironment environment, String property) {
		ConfigurationPropertyName name = ConfigurationPropertyName.of("db.pool." + property);
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source.getUnderlyingSource() instanceof PropertySource<?> propertySource
					&& DbPoolEnvironmentPostProcessor.PROPERTY_SOURCE_NAME.equals(propertySource.getName())) {
				continue;
			}
			ConfigurationProperty value = source.getConfigurationProperty(name);
			if (value != null) {
				return true;
			}
		}
		return false;
	}

}
