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
 * {@link DbPoolEnvironmentPostProcessor} added.
 */
public final class EnvironmentSettingValues implements SettingValues {

	private final ConfigurableEnvironment environment;

	public EnvironmentSettingValues(ConfigurableEnvironment environment) {
		this.environment = environment;
	}

	@Override
	public @Nullable Text property(PoolSetting<?> setting) {
		if (setting.type() == SettingType.TEXT_MAP) {
			return null;
		}
		ConfigurationPropertyName name = ConfigurationPropertyName.of(setting.property());
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			if (source.getUnderlyingSource() instanceof PropertySource<?> propertySource
					&& DbPoolEnvironmentPostProcessor.isAliasSource(propertySource)) {
				continue;
			}
			ConfigurationProperty property = source.getConfigurationProperty(name);
			if (property != null && property.getValue() != null) {
				return new Text(String.valueOf(property.getValue()), setting.property());
			}
		}
		if (setting.type().isContainer()) {
			// Indexed entries ([0], [1], ...) from any source.
			Set<String> items = Binder.get(this.environment).bind(name, Bindable.setOf(String.class)).orElse(null);
			if (items != null && !items.isEmpty()) {
				return new Text(String.join(",", items), setting.property());
			}
		}
		return null;
	}

	@Override
	public @Nullable Text alias(PoolSetting<?> setting) {
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
