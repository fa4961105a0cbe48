package dev.dbpool.datasource;

import dev.dbpool.common.InvalidDbPoolSettingException;
import dev.dbpool.config.DbPoolProperties;
import dev.dbpool.config.EnvironmentSettingValues;
import dev.dbpool.config.PoolSetting;
import dev.dbpool.config.PoolSettingTable;
import dev.dbpool.config.SettingValues;
import dev.dbpool.url.DatabaseUrl;
import dev.dbpool.url.InvalidDatabaseUrlException;
import org.jspecify.annotations.Nullable;

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
		EnvironmentSettingValues environmentValues = new EnvironmentSettingValues(environment);
		SettingValues.Text text = environmentValues.property(PoolSettingTable.REPLICA_URL);
		boolean fromAlias = text == null;
		if (fromAlias) {
			text = environmentValues.alias(PoolSettingTable.REPLICA_URL);
		}
		String origin = (text != null) ? text.origin() : PoolSettingTable.REPLICA_URL.property();
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
		SettingValues.Text replicaUrl = new SettingValues.Text(url, origin);
		SettingValues values = new SettingValues() {

			@Override
			public SettingValues.@Nullable Text property(PoolSetting<?> setting) {
				if (setting == PoolSettingTable.URL) {
					return fromAlias ? null : replicaUrl;
				}
				return environmentValues.property(setting);
			}

			@Override
			public SettingValues.@Nullable Text alias(PoolSetting<?> setting) {
				if (setting == PoolSettingTable.URL) {
					return fromAlias ? replicaUrl : null;
				}
				return environmentValues.alias(setting);
			}

		};
		PoolDefinition definition = PoolDefinitionLoader
			.resolver(values, environment, properties.getDataSourceProperties())
			.resolve(null);
		return rename(definition);
	}

	static PoolDefinition rename(PoolDefinition definition) {
		return definition.withPoolName(definition.settings().poolName() + POOL_NAME_SUFFIX);
	}

}
