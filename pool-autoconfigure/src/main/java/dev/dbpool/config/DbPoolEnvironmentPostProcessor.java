package dev.dbpool.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.dbpool.common.SettingProblem;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Maps the environment variables the seed documents use ({@code DATABASE_URL},
 * {@code DB_POOL_TIMEOUT} in seconds, {@code DB_QUERY_TIMEOUT} in milliseconds, ...: the
 * aliases of the {@link PoolSettingTable}) onto {@code db.pool.*} in a property source of
 * the lowest precedence, so that any explicit property and any URL parameter beats them.
 * Values get their seed's unit here ({@code DB_POOL_TIMEOUT=5} becomes {@code 5s}). A bad
 * or contradicting alias is not mapped; it is kept as a problem for the startup check,
 * which reports it with every other.
 */
public class DbPoolEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** Name of the property source holding the mapped aliases. */
	public static final String PROPERTY_SOURCE_NAME = "dbPoolEnvironmentAliases";

	/** Runs after Boot has loaded the application's config files. */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 10;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Map<String, Object> mapped = new LinkedHashMap<>();
		Map<String, String> mappedFrom = new LinkedHashMap<>();
		List<SettingProblem> problems = new ArrayList<>();
		for (PoolSetting<?> setting : PoolSettingTable.all()) {
			for (SeedAlias alias : setting.aliases()) {
				String raw = environment.getProperty(alias.variable());
				if (raw == null || raw.isBlank()) {
					continue;
				}
				String value;
				try {
					value = alias.unit().toPropertyText(raw.trim());
				}
				catch (IllegalArgumentException ex) {
					problems.add(new SettingProblem(alias.variable(), setting.shown(raw.trim()), ex.getMessage(),
							"Set " + alias.variable() + " to a plain number such as " + alias.unit().example() + " ("
									+ alias.unit().label() + "), or unset it."));
					continue;
				}
				String previous = mappedFrom.get(setting.property());
				if (previous != null && !Objects.equals(mapped.get(setting.property()), value)) {
					problems.add(new SettingProblem(alias.variable(), setting.shown(raw.trim()),
							"the same value as " + previous + " (" + setting.shown(environment.getProperty(previous))
									+ ")",
							"Both set " + setting.property() + "; remove one of them or make them agree."));
					continue;
				}
				mapped.put(setting.property(), value);
				mappedFrom.put(setting.property(), alias.variable());
			}
		}
		if (!mapped.isEmpty() || !problems.isEmpty()) {
			environment.getPropertySources().addLast(new AliasPropertySource(mapped, mappedFrom, problems));
		}
	}

	/**
	 * The seed variable a {@code db.pool.*} property was mapped from, if it was.
	 * @param environment the environment
	 * @param property the full property name
	 * @return the variable, or null
	 */
	public static @Nullable String aliasFor(Environment environment, String property) {
		return (aliases(environment) instanceof AliasPropertySource aliases) ? aliases.mappedFrom.get(property) : null;
	}

	/**
	 * The aliases that could not be mapped.
	 * @param environment the environment
	 * @return one problem per bad or contradicting alias
	 */
	public static List<SettingProblem> problems(Environment environment) {
		return (aliases(environment) instanceof AliasPropertySource aliases) ? aliases.problems : List.of();
	}

	/** Whether a property source is the one holding the mapped aliases. */
	public static boolean isAliasSource(PropertySource<?> source) {
		return PROPERTY_SOURCE_NAME.equals(source.getName());
	}

	private static @Nullable PropertySource<?> aliases(Environment environment) {
		return (environment instanceof ConfigurableEnvironment configurable)
				? configurable.getPropertySources().get(PROPERTY_SOURCE_NAME) : null;
	}

	static final class AliasPropertySource extends MapPropertySource {

		private final Map<String, String> mappedFrom;

		private final List<SettingProblem> problems;

		AliasPropertySource(Map<String, Object> mapped, Map<String, String> mappedFrom, List<SettingProblem> problems) {
			super(PROPERTY_SOURCE_NAME, mapped);
			this.mappedFrom = Map.copyOf(mappedFrom);
			this.problems = List.copyOf(problems);
		}

	}

}
