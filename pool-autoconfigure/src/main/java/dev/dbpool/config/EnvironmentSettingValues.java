package dev.dbpool.config;

import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * {@link SettingValues} of a Spring environment: an explicit property from any property
 * source (relaxed names and environment variables such as
 * {@code DB_POOL_CONNECTION_LIMIT} included), the seed aliases from the source
 * {@link DbPoolEnvironmentPostProcessor} added. For an additional pool
 * ({@link #forAdditionalPool}) the pool settings under its prefix, and no aliases.
 */
public final class EnvironmentSettingValues implements SettingValues {

	private final ConfigurableEnvironment environment;

	private final @Nullable String additionalPool;

	public EnvironmentSettingValues(ConfigurableEnvironment environment) {
		this(environment, null);
	}

	private EnvironmentSettingValues(ConfigurableEnvironment environment, @Nullable String additionalPool) {
		this.environment = environment;
		this.additionalPool = additionalPool;
	}

	/**
	 * The values of an additional pool:
	 * {@code db.pool.additional.<name>.connection-limit} for
	 * {@code db.pool.connection-limit}; the seed aliases are the primary's alone.
	 * @param environment the environment
	 * @param name the pool's name
	 * @return the values
	 */
	public static EnvironmentSettingValues forAdditionalPool(ConfigurableEnvironment environment, String name) {
		return new EnvironmentSettingValues(environment, PoolSettingTable.ADDITIONAL_PREFIX + "." + name + ".");
	}

	/**
	 * The property that holds a setting here: its own name, or the additional pool's.
	 * @param setting the setting
	 * @return the full property name
	 */
	public String propertyOf(PoolSetting<?> setting) {
		return (this.additionalPool != null) ? this.additionalPool + setting.name() : setting.property();
	}

	@Override
	public @Nullable Text property(PoolSetting<?> setting) {
		if (setting.type() == SettingType.TEXT_MAP
				|| (this.additionalPool != null && !PoolSettingTable.isPoolSetting(setting))) {
			return null;
		}
		String property = propertyOf(setting);
		ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			if (source.getUnderlyingSource() instanceof PropertySource<?> propertySource
					&& DbPoolEnvironmentPostProcessor.isAliasSource(propertySource)) {
				continue;
			}
			ConfigurationProperty found = source.getConfigurationProperty(name);
			if (found != null && found.getValue() != null) {
				return new Text(String.valueOf(found.getValue()), property);
			}
		}
		if (setting.type().isContainer()) {
			// Indexed entries ([0], [1], ...) from any source.
			Set<String> items = Binder.get(this.environment).bind(name, Bindable.setOf(String.class)).orElse(null);
			if (items != null && !items.isEmpty()) {
				return new Text(String.join(",", items), property);
			}
		}
		return null;
	}

	@Override
	public @Nullable Text alias(PoolSetting<?> setting) {
		if (this.additionalPool != null) {
			return null;
		}
		String variable = DbPoolEnvironmentPostProcessor.aliasFor(this.environment, setting.property());
		if (variable == null) {
			return null;
		}
		PropertySource<?> aliases = this.environment.getPropertySources()
			.get(DbPoolEnvironmentPostProcessor.PROPERTY_SOURCE_NAME);
		Object value = (aliases != null) ? aliases.getProperty(setting.property()) : null;
		return (value != null) ? new Text(value.toString(), variable) : null;
	}

}
