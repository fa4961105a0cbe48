package dev.dbpool.datasource;

import dev.dbpool.DbPoolProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
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
