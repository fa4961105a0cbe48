package dev.dbpool.config;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The texts the settings were given, before they are read: what a {@code db.pool.*}
 * property says (from any property source) and what a seed alias says. Lets the resolver
 * stay free of Spring; {@link EnvironmentSettingValues} reads a Spring environment.
 */
public interface SettingValues {

	/**
	 * The text of an explicit {@code db.pool.*} property.
	 * @param setting the setting
	 * @return the text and the property that holds it, or null when unset
	 */
	@Nullable Text property(PoolSetting<?> setting);

	/**
	 * The text a seed alias gave the setting, already in {@code db.pool.*} form (the
	 * alias's unit applied: {@code DB_POOL_TIMEOUT=5} is {@code 5s}).
	 * @param setting the setting
	 * @return the text and the variable that holds it, or null when no alias is set
	 */
	@Nullable Text alias(PoolSetting<?> setting);

	/**
	 * Settings from plain maps, for tests and for programmatic use.
	 * @param properties texts by full property name ({@code db.pool.connection-limit})
	 * @param aliases texts in {@code db.pool.*} form by full property name, with the
	 * variable they came from as {@code VARIABLE=text}
	 * @return the values
	 */
	static SettingValues of(Map<String, String> properties, Map<String, String> aliases) {
		return new SettingValues() {

			@Override
			public @Nullable Text property(PoolSetting<?> setting) {
				String text = properties.get(setting.property());
				return (text != null) ? new Text(text, setting.property()) : null;
			}

			@Override
			public @Nullable Text alias(PoolSetting<?> setting) {
				String entry = aliases.get(setting.property());
				if (entry == null) {
					return null;
				}
				int equals = entry.indexOf('=');
				return new Text(entry.substring(equals + 1), entry.substring(0, equals));
			}

		};
	}

	/**
	 * A setting's text and where it was found.
	 *
	 * @param text the text as given
	 * @param origin the property or variable that holds it
	 */
	record Text(String text, String origin) {

	}

}
