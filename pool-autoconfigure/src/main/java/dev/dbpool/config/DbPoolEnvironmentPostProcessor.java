package dev.dbpool.config;

import dev.dbpool.common.InvalidDbPoolSettingException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Maps the environment variables the seed documents use ({@code DATABASE_URL},
 * {@code DB_POOL_TIMEOUT} in seconds, {@code DB_QUERY_TIMEOUT} in milliseconds, ...) onto
 * {@code db.pool.*} in a property source of the lowest precedence, so that any explicit
 * property and any URL parameter beats them. Values get their documented unit here,
 * because a bare number in a {@code db.pool.*} duration has the property's own unit.
 */
public class DbPoolEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** Name of the property source holding the mapped aliases. */
	public static final String PROPERTY_SOURCE_NAME = "dbPoolEnvironmentAliases";

	private static final List<Alias> ALIASES = List.of(new Alias("DATABASE_URL", "db.pool.url", Unit.TEXT),
			new Alias("DATABASE_POOL_SIZE", "db.pool.connection-limit", Unit.COUNT),
			new Alias("DB_CONNECTION_LIMIT", "db.pool.connection-limit", Unit.COUNT),
			new Alias("DB_POOL_TIMEOUT", "db.pool.pool-timeout", Unit.SECONDS),
			new Alias("DB_STATEMENT_CACHE_SIZE", "db.pool.statement-cache-size", Unit.COUNT),
			new Alias("DB_QUERY_TIMEOUT", "db.pool.query-timeout", Unit.MILLISECONDS),
			new Alias("DB_SLOW_QUERY_THRESHOLD", "db.pool.slow-query.threshold", Unit.MILLISECONDS),
			new Alias("SLOW_QUERY_THRESHOLD", "db.pool.slow-query.threshold", Unit.MILLISECONDS),
			new Alias("DATABASE_REPLICA_URL", "db.pool.replica.url", Unit.TEXT));

	/** Runs after Boot has loaded the application's config files. */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 10;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Map<String, Object> mapped = new LinkedHashMap<>();
		Map<String, String> mappedFrom = new LinkedHashMap<>();
		for (Alias alias : ALIASES) {
			String raw = environment.getProperty(alias.variable());
			if (raw == null || raw.isBlank()) {
				continue;
			}
			String value = alias.unit().convert(alias.variable(), raw.trim());
			String previous = mappedFrom.get(alias.property());
			if (previous != null && !Objects.equals(mapped.get(alias.property()), value)) {
				throw new InvalidDbPoolSettingException(alias.variable(), raw.trim(),
						"the same value as " + previous + " (" + environment.getProperty(previous) + ")",
						"Both set " + alias.property() + "; remove one of them or make them agree.");
			}
			mapped.put(alias.property(), value);
			mappedFrom.put(alias.property(), alias.variable());
		}
		if (!mapped.isEmpty()) {
			environment.getPropertySources().addLast(new AliasPropertySource(mapped, mappedFrom));
		}
	}

	/** The variable a {@code db.pool.*} property was mapped from, if it was. */
	static @Nullable String aliasFor(ConfigurableEnvironment environment, String property) {
		PropertySource<?> source = environment.getPropertySources().get(PROPERTY_SOURCE_NAME);
		return (source instanceof AliasPropertySource aliases) ? aliases.mappedFrom.get(property) : null;
	}

	private record Alias(String variable, String property, Unit unit) {

	}

	private enum Unit {

		TEXT, COUNT, SECONDS, MILLISECONDS;

		String convert(String variable, String raw) {
			if (this == TEXT) {
				return raw;
			}
			long number;
			try {
				number = Long.parseLong(raw);
			}
			catch (NumberFormatException ex) {
				String unit = switch (this) {
					case SECONDS -> "a whole number of seconds";
					case MILLISECONDS -> "a whole number of milliseconds";
					default -> "a whole number";
				};
				throw new InvalidDbPoolSettingException(variable, raw, unit,
						"Set " + variable + " to a plain number such as " + example() + ", or unset it.");
			}
			return switch (this) {
				case SECONDS -> number + "s";
				case MILLISECONDS -> number + "ms";
				default -> Long.toString(number);
			};
		}

		private String example() {
			return switch (this) {
				case SECONDS -> "10";
				case MILLISECONDS -> "1000";
				default -> "10";
			};
		}

	}

	static final class AliasPropertySource extends MapPropertySource {

		private final Map<String, String> mappedFrom;

		AliasPropertySource(Map<String, Object> mapped, Map<String, String> mappedFrom) {
			super(PROPERTY_SOURCE_NAME, mapped);
			this.mappedFrom = Map.copyOf(mappedFrom);
		}

	}

}
