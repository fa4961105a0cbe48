package dev.dbpool.datasource;

import dev.dbpool.config.DbPoolEnvironmentPostProcessor;

import dev.dbpool.config.DbPoolSettings;

import dev.dbpool.common.InvalidDbPoolSettingException;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.dbpool.config.DbPoolProperties;
import dev.dbpool.config.DbPoolSettings.Setting;
import dev.dbpool.config.DbPoolSettings.Source;
import dev.dbpool.url.DatabaseUrl;
import dev.dbpool.url.InvalidDatabaseUrlException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Resolves the read replica's pool by the same rules as the primary's: every
 * {@code db.pool.*} property applies, the replica URL's own query parameters (such as
 * {@code connection_limit}) take the place of the primary URL's, and the pool is named
 * {@code <name>-replica}.
 */
public final class ReplicaPoolDefinitionLoader {

	/** Suffix appended to the primary pool's name. */
	public static final String POOL_NAME_SUFFIX = "-replica";

	private static final String PROPERTY = "db.pool.replica.url";

	private ReplicaPoolDefinitionLoader() {
	}

	/**
	 * Resolve the replica pool, or return null when no replica URL is configured.
	 * @param properties the bound properties
	 * @param environment the environment they were bound from
	 * @return the replica's pool definition, or null
	 */
	public static @Nullable PoolDefinition load(DbPoolProperties properties, ConfigurableEnvironment environment) {
		String url = properties.getReplica().getUrl();
		if (url == null || url.isBlank()) {
			return null;
		}
		String variable = DbPoolEnvironmentPostProcessor.aliasFor(environment, PROPERTY);
		String origin = (variable != null && !PoolDefinitionLoader.isExplicit(environment, "replica.url")) ? variable
				: PROPERTY;
		try {
			DatabaseUrl.parse(url);
		}
		catch (InvalidDatabaseUrlException ex) {
			throw new InvalidDbPoolSettingException(origin, "(the URL, not shown because it may hold a password)",
					"a valid postgresql:// or jdbc:postgresql:// URL; " + ex.getMessage(),
					"Correct " + origin + ", or unset it to send all work to the primary.", ex);
		}
		catch (IllegalArgumentException ex) {
			// Not chained: the JDK's URI errors quote the whole URL, password included.
			throw new InvalidDbPoolSettingException(origin, "(the URL, not shown because it may hold a password)",
					"a valid postgresql:// or jdbc:postgresql:// URL",
					"Correct " + origin + " (check for spaces or unescaped characters; percent-encode them), "
							+ "or unset it to send all work to the primary.");
		}
		DbPoolProperties replica = Binder.get(environment)
			.bind("db.pool", Bindable.of(DbPoolProperties.class))
			.orElseGet(DbPoolProperties::new);
		replica.setUrl(url);
		PoolSettingsResolver resolver = new PoolSettingsResolver(replica,
				(property) -> !"url".equals(property) && PoolDefinitionLoader.isExplicit(environment, property),
				(property) -> "url".equals(property) ? origin
						: DbPoolEnvironmentPostProcessor.aliasFor(environment, "db.pool." + property),
				environment.getProperty("spring.application.name"));
		return rename(resolver.resolve(null));
	}

	static PoolDefinition rename(PoolDefinition definition) {
		Map<String, Setting> entries = new LinkedHashMap<>(definition.settings().entries());
		String name = definition.settings().poolName() + POOL_NAME_SUFFIX;
		entries.put("poolName", new Setting("poolName", name, Source.DERIVED));
		return new PoolDefinition(new DbPoolSettings(entries), definition.jdbcUrl(), definition.username(),
				definition.password(), definition.driverProperties());
	}

}
