package dev.dbpool.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.dbpool.common.ClosestName;
import dev.dbpool.common.Durations;
import dev.dbpool.common.SecretPolicy;
import dev.dbpool.common.SettingProblem;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Checks the environment against the {@link PoolSettingTable}: every {@code db.pool.*}
 * key from every property source (environment variables included) must be a known
 * setting, every value must read as its type (a duration with its unit) and pass the
 * setting's rules, and {@code spring.datasource.hikari.*} keys are refused with their
 * {@code db.pool.*} translation. Returns every problem, so that one failed start lists
 * them all.
 */
public final class DbPoolConfigurationCheck {

	private static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName.of("db.pool");

	private static final ConfigurationPropertyName HIKARI_PREFIX = ConfigurationPropertyName
		.of("spring.datasource.hikari");

	private static final String ATTACHED_SOURCE = "configurationProperties";

	private static final ConfigurationPropertyName ADDITIONAL_PREFIX = ConfigurationPropertyName
		.of(PoolSettingTable.ADDITIONAL_PREFIX);

	private static final String ADDITIONAL_VARIABLE_PREFIX = "dbpooladditional";

	private static final Map<String, HikariKey> HIKARI_KEYS = Map.ofEntries(
			Map.entry("maximum-pool-size", new HikariKey(PoolSettingTable.CONNECTION_LIMIT, Function.identity())),
			Map.entry("minimum-idle", new HikariKey(PoolSettingTable.MIN_IDLE, Function.identity())),
			Map.entry("connection-timeout", new HikariKey(PoolSettingTable.POOL_TIMEOUT, HikariKey::millis)),
			Map.entry("idle-timeout", new HikariKey(PoolSettingTable.IDLE_TIMEOUT, HikariKey::millis)),
			Map.entry("max-lifetime", new HikariKey(PoolSettingTable.MAX_LIFETIME, HikariKey::millis)),
			Map.entry("keepalive-time", new HikariKey(PoolSettingTable.KEEPALIVE_TIME, HikariKey::millis)),
			Map.entry("leak-detection-threshold",
					new HikariKey(PoolSettingTable.LEAK_DETECTION_THRESHOLD, HikariKey::millis)),
			Map.entry("pool-name", new HikariKey(PoolSettingTable.APPLICATION_NAME, Function.identity())),
			Map.entry("data-source-properties",
					new HikariKey(PoolSettingTable.DATA_SOURCE_PROPERTIES, Function.identity())),
			Map.entry("username", new HikariKey(PoolSettingTable.USERNAME, Function.identity())),
			Map.entry("password", new HikariKey(PoolSettingTable.PASSWORD, Function.identity())),
			Map.entry("jdbc-url", new HikariKey(PoolSettingTable.URL, Function.identity())));

	private DbPoolConfigurationCheck() {
	}

	/**
	 * Every problem with the {@code db.pool.*} keys and values and the seed aliases.
	 * @param environment the environment
	 * @return the problems, in a stable order
	 */
	public static List<SettingProblem> problems(ConfigurableEnvironment environment) {
		Set<SettingProblem> problems = new LinkedHashSet<>(DbPoolEnvironmentPostProcessor.problems(environment));
		problems.addAll(unknownKeys(environment));
		SettingValues values = new EnvironmentSettingValues(environment);
		for (PoolSetting<?> setting : PoolSettingTable.all()) {
			SettingValues.Text property = values.property(setting);
			if (property != null) {
				check(setting, property, true, problems);
			}
			SettingValues.Text alias = values.alias(setting);
			if (alias != null) {
				check(setting, alias, false, problems);
			}
		}
		return new ArrayList<>(problems);
	}

	private static <T> void check(PoolSetting<T> setting, SettingValues.Text text, boolean explicit,
			Set<SettingProblem> problems) {
		T value = setting.read(text.text(), text.origin(), explicit, problems::add);
		if (value != null) {
			setting.check(value, text.text().trim(), text.origin(), problems::add);
		}
	}

	/**
	 * The {@code spring.datasource.hikari.*} keys, all of them, each with its
	 * {@code db.pool.*} translation in the right unit. They configure Boot's own pool,
	 * which the starter replaces; ignoring them would silently change the pool.
	 * @param environment the environment
	 * @return one problem per key
	 */
	public static List<SettingProblem> hikariProblems(ConfigurableEnvironment environment) {
		Set<SettingProblem> problems = new LinkedHashSet<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (!(source instanceof IterableConfigurationPropertySource iterable)) {
				continue;
			}
			for (ConfigurationPropertyName name : iterable) {
				if (!HIKARI_PREFIX.isAncestorOf(name)) {
					continue;
				}
				String property = name.toString();
				String setting = property.substring(HIKARI_PREFIX.toString().length() + 1);
				String key = setting.replaceFirst("\\[.*|\\..*", "");
				Object raw = iterable.getConfigurationProperty(name).getValue();
				String value = SecretPolicy.isSecretName(setting) ? SecretPolicy.MASK : String.valueOf(raw);
				if (key.equals("jdbc-url")) {
					value = SecretPolicy.maskUrlSecrets(value);
				}
				HikariKey translation = HIKARI_KEYS.get(key);
				problems.add(new SettingProblem(property, value,
						"no spring.datasource.hikari.* settings: the dbpool starter builds the pool from db.pool.*",
						(translation != null)
								? "Use " + translation.translate(setting.substring(key.length()), value) + " instead."
								: "Remove it, or set the pgjdbc property through db.pool.data-source-properties, or "
										+ "define your own DataSource bean to take over the pool."));
			}
		}
		return new ArrayList<>(problems);
	}

	private static List<SettingProblem> unknownKeys(ConfigurableEnvironment environment) {
		Set<String> aliasVariables = PoolSettingTable.all()
			.stream()
			.flatMap((setting) -> setting.aliases().stream())
			.map(SeedAlias::variable)
			.collect(Collectors.toSet());
		List<String> known = PoolSettingTable.all().stream().map(PoolSetting::property).toList();
		List<SettingProblem> problems = new ArrayList<>();
		for (PropertySource<?> source : environment.getPropertySources()) {
			if (DbPoolEnvironmentPostProcessor.isAliasSource(source) || ATTACHED_SOURCE.equals(source.getName())
					|| !(source instanceof EnumerablePropertySource<?> enumerable)) {
				continue;
			}
			boolean variables = source instanceof SystemEnvironmentPropertySource;
			for (String key : enumerable.getPropertyNames()) {
				if (variables ? isUnknownVariable(key, aliasVariables) : isUnknownProperty(key)) {
					problems.add(unknown(key, variables, source, known));
				}
			}
		}
		return problems;
	}

	private static boolean isUnknownProperty(String key) {
		ConfigurationPropertyName name = ConfigurationPropertyName.adapt(key, '.');
		if (!PREFIX.isAncestorOf(name)) {
			return false;
		}
		if (ADDITIONAL_PREFIX.isAncestorOf(name)) {
			return isUnknownPoolProperty(name);
		}
		for (PoolSetting<?> setting : PoolSettingTable.all()) {
			ConfigurationPropertyName known = ConfigurationPropertyName.of(setting.property());
			if (known.equals(name) || (setting.type().isContainer() && known.isAncestorOf(name))) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Under {@code db.pool.additional.<name>} the pool settings are known; the
	 * application's groups there are refused by the additional pools with their own
	 * message.
	 */
	private static boolean isUnknownPoolProperty(ConfigurationPropertyName name) {
		int depth = ADDITIONAL_PREFIX.getNumberOfElements() + 1;
		if (name.getNumberOfElements() <= depth) {
			return true;
		}
		String first = name.getElement(depth, ConfigurationPropertyName.Form.DASHED);
		if (isApplicationGroup(first)) {
			return false;
		}
		ConfigurationPropertyName rest = ConfigurationPropertyName.of(PoolSetting.PREFIX + name.subName(depth));
		for (PoolSetting<?> setting : PoolSettingTable.all()) {
			ConfigurationPropertyName known = ConfigurationPropertyName.of(setting.property());
			if (PoolSettingTable.isPoolSetting(setting)
					&& (known.equals(rest) || (setting.type().isContainer() && known.isAncestorOf(rest)))) {
				return false;
			}
		}
		return true;
	}

	private static boolean isApplicationGroup(String element) {
		return PoolSettingTable.all()
			.stream()
			.anyMatch((setting) -> !PoolSettingTable.isPoolSetting(setting)
					&& (setting.name().equals(element) || setting.name().startsWith(element + ".")));
	}

	private static boolean isUnknownVariable(String key, Set<String> aliasVariables) {
		if (!key.toUpperCase(Locale.ROOT).startsWith("DB_POOL_") || aliasVariables.contains(key)) {
			return false;
		}
		String normalized = ClosestName.normalize(key);
		if (normalized.startsWith(ADDITIONAL_VARIABLE_PREFIX)) {
			// DB_POOL_ADDITIONAL_<NAME>_<SETTING>: the name is free, the setting is not.
			String rest = normalized.substring(ADDITIONAL_VARIABLE_PREFIX.length());
			for (PoolSetting<?> setting : PoolSettingTable.all()) {
				String known = ClosestName.normalize(setting.name());
				if ((rest.length() > known.length() && rest.endsWith(known))
						|| (setting.type().isContainer() && rest.indexOf(known, 1) > 0)) {
					return false;
				}
			}
			return true;
		}
		for (PoolSetting<?> setting : PoolSettingTable.all()) {
			String known = ClosestName.normalize(setting.property());
			if (known.equals(normalized) || (setting.type().isContainer() && normalized.startsWith(known))) {
				return false;
			}
		}
		return true;
	}

	private static SettingProblem unknown(String key, boolean variable, PropertySource<?> source, List<String> known) {
		String closest = variable ? null : closestPoolSetting(key);
		if (closest == null) {
			closest = ClosestName.closest(variable ? key.toLowerCase(Locale.ROOT).replace('_', '.') : key, known);
		}
		String shownKey = variable ? key + " (environment variable)" : key;
		Object raw = source.getProperty(key);
		String value = (SecretPolicy.isSecretName(key) || key.toLowerCase(Locale.ROOT).contains("url"))
				? SecretPolicy.MASK : String.valueOf(raw);
		String suggestion = (closest == null) ? "" : variable
				? "Did you mean " + closest + " (" + variableOf(closest) + ")? " : "Did you mean " + closest + "? ";
		return new SettingProblem(shownKey, value, "a known db.pool.* setting",
				suggestion + "Correct or remove it; the settings are listed on the configuration reference page.");
	}

	/**
	 * For a key under {@code db.pool.additional.<name>}, the closest pool setting under
	 * the same pool.
	 */
	private static @Nullable String closestPoolSetting(String key) {
		ConfigurationPropertyName name = ConfigurationPropertyName.adapt(key, '.');
		int depth = ADDITIONAL_PREFIX.getNumberOfElements() + 1;
		if (!ADDITIONAL_PREFIX.isAncestorOf(name) || name.getNumberOfElements() <= depth) {
			return null;
		}
		String pool = name.chop(depth).toString() + ".";
		List<String> settings = PoolSettingTable.all()
			.stream()
			.filter(PoolSettingTable::isPoolSetting)
			.map((setting) -> pool + setting.name())
			.toList();
		return ClosestName.closest(name.toString(), settings);
	}

	private static String variableOf(String property) {
		return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
	}

	private record HikariKey(PoolSetting<?> setting, Function<String, @Nullable String> conversion) {

		String translate(String rest, String value) {
			String converted = this.conversion.apply(value);
			return this.setting.property() + rest + "="
					+ ((converted != null) ? converted : value + " (converted to the setting's type)");
		}

		/** HikariCP's timeouts are milliseconds; ours need a unit. */
		static @Nullable String millis(String value) {
			try {
				return Durations.format(Duration.ofMillis(Long.parseLong(value.trim())));
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}

	}

}
