package dev.dbpool.config;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import dev.dbpool.common.SecretPolicy;
import org.jspecify.annotations.Nullable;

/**
 * The effective pool configuration: every value the starter applied, typed by its
 * {@link PoolSetting}, with where it came from. Built once at startup; shown at startup,
 * in {@code /metrics/database} and in the Actuator endpoint. Never holds the password.
 */
public final class DbPoolSettings {

	/** Where a value came from, strongest first. */
	public enum Source {

		/** An explicit {@code db.pool.*} property, from any property source. */
		PROPERTY("property"),

		/** A query parameter of the database URL. */
		URL("url"),

		/**
		 * One of the seed environment aliases, such as {@code DATABASE_URL} or
		 * {@code DB_POOL_TIMEOUT}.
		 */
		ENVIRONMENT("environment"),

		/** Boot's {@code spring.datasource.*} properties. */
		SPRING_DATASOURCE("spring.datasource"),

		/** A {@code JdbcConnectionDetails} bean (Testcontainers, Docker Compose). */
		CONNECTION_DETAILS("connection-details"),

		/** Derived from other values (socket timeout from query timeout, for example). */
		DERIVED("derived"),

		/** The starter's tuned default. */
		DEFAULT("default");

		private final String label;

		Source(String label) {
			this.label = label;
		}

		/** Name as shown in JSON and logs. */
		public String label() {
			return this.label;
		}

	}

	/**
	 * One effective value.
	 *
	 * @param <T> the value's type
	 * @param setting the setting
	 * @param value the value, null when the setting has none (no schema, for example)
	 * @param source where it came from
	 * @param origin the property, URL parameter or variable that set it
	 */
	public record Value<T>(PoolSetting<T> setting, @Nullable T value, Source source, String origin) {

		/** The value as the startup line shows it. */
		public String printed() {
			return (this.value != null) ? this.setting.type().print(this.value) : "none";
		}

	}

	private final Map<PoolSetting<?>, Value<?>> values;

	private final String poolName;

	private DbPoolSettings(Map<PoolSetting<?>, Value<?>> values, String poolName) {
		this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
		this.poolName = poolName;
	}

	/** Start building settings (for a user-supplied {@code PoolDefinition}, or tests). */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The value of a setting.
	 * @param <T> the value's type
	 * @param setting the setting
	 * @return the value
	 * @throws IllegalStateException if the setting has no value here
	 */
	public <T> T get(PoolSetting<T> setting) {
		T value = find(setting);
		if (value == null) {
			throw new IllegalStateException("No effective value for " + setting.property());
		}
		return value;
	}

	/** The value of a setting, or null when it has none here. */
	public <T> @Nullable T find(PoolSetting<T> setting) {
		Value<T> value = value(setting);
		return (value != null) ? value.value() : null;
	}

	/** The effective value of a setting with its source, or null. */
	@SuppressWarnings("unchecked")
	public <T> @Nullable Value<T> value(PoolSetting<T> setting) {
		return (Value<T>) this.values.get(setting);
	}

	/** Where a setting's value came from ({@link Source#DEFAULT} when it has none). */
	public Source source(PoolSetting<?> setting) {
		Value<?> value = this.values.get(setting);
		return (value != null) ? value.source() : Source.DEFAULT;
	}

	/** Every effective value, in the table's order. */
	public Collection<Value<?>> values() {
		return this.values.values();
	}

	public int connectionLimit() {
		return get(PoolSettingTable.CONNECTION_LIMIT);
	}

	public Duration poolTimeout() {
		return get(PoolSettingTable.POOL_TIMEOUT);
	}

	public Duration queryTimeout() {
		return get(PoolSettingTable.QUERY_TIMEOUT);
	}

	public Duration slowQueryThreshold() {
		return get(PoolSettingTable.SLOW_QUERY_THRESHOLD);
	}

	/** Name of the HikariCP pool: the application name, with a suffix for a replica. */
	public String poolName() {
		return this.poolName;
	}

	/** The same settings for a pool of another name. */
	public DbPoolSettings withPoolName(String poolName) {
		return new DbPoolSettings(this.values, poolName);
	}

	/**
	 * The snapshot's complete {@code config} section, as Actuator shows it.
	 * @return the section
	 * @see #snapshot(boolean)
	 */
	public Map<String, Object> snapshot() {
		return snapshot(true);
	}

	/**
	 * The snapshot's {@code config} section: each value by its key (durations in ms, or
	 * in seconds where the seed shows seconds), then {@code sources}. URLs are masked.
	 * @param internal whether text settings (URL, user, schema, names) are shown too; the
	 * public form has the numbers, durations and switches only, which say how the pool
	 * behaves, not where it connects and as whom
	 * @return the section
	 */
	public Map<String, Object> snapshot(boolean internal) {
		Map<String, Object> config = new LinkedHashMap<>();
		Map<String, Object> sources = new LinkedHashMap<>();
		for (Value<?> value : this.values.values()) {
			PoolSetting<?> setting = value.setting();
			if (setting.isSecret() || (!internal && !isPublicValue(value.value()))) {
				continue;
			}
			config.put(setting.key(), render(setting, value.value()));
			sources.put(setting.key(), value.source().label());
		}
		if (internal) {
			config.put("poolName", this.poolName);
		}
		config.put("sources", sources);
		return config;
	}

	private static boolean isPublicValue(@Nullable Object value) {
		return value instanceof Number || value instanceof Duration || value instanceof Boolean;
	}

	private static @Nullable Object render(PoolSetting<?> setting, @Nullable Object value) {
		if (value instanceof Duration duration) {
			return setting.showsSeconds() ? seconds(duration) : duration.toMillis();
		}
		if (value == null || value instanceof Number || value instanceof Boolean) {
			return value;
		}
		return SecretPolicy.maskUrlSecrets(value.toString());
	}

	/**
	 * Whole seconds as the seeds show them; a decimal (0.1, 1.5) only for a value that is
	 * not a whole number of seconds.
	 */
	private static Number seconds(Duration duration) {
		long millis = duration.toMillis();
		if (millis % 1000 == 0) {
			return millis / 1000;
		}
		return millis / 1000.0;
	}

	/**
	 * One line for the startup log: {@code key=value (source)}, durations as {@code 10s}
	 * or {@code 250ms}.
	 */
	@Override
	public String toString() {
		return this.values.values()
			.stream()
			.filter((value) -> !value.setting().isSecret())
			.map((value) -> value.setting().key() + "="
					+ (value.setting().mayHoldSecret() ? SecretPolicy.maskUrlSecrets(value.printed()) : value.printed())
					+ " (" + value.source().label() + ")")
			.collect(Collectors.joining(", ", "DbPoolSettings[", ", poolName=" + this.poolName + "]"));
	}

	/** Collects effective values. */
	public static final class Builder {

		private final Map<PoolSetting<?>, Value<?>> values = new LinkedHashMap<>();

		private @Nullable String poolName;

		private Builder() {
		}

		/**
		 * Set a value.
		 * @param <T> the value's type
		 * @param setting the setting
		 * @param value its value
		 * @param source where it came from
		 * @param origin the property, parameter or variable that set it
		 * @return this builder
		 */
		public <T> Builder put(PoolSetting<T> setting, @Nullable T value, Source source, String origin) {
			this.values.put(setting, new Value<>(setting, value, source, origin));
			return this;
		}

		/** Set a value with its property as origin. */
		public <T> Builder put(PoolSetting<T> setting, @Nullable T value, Source source) {
			return put(setting, value, source, setting.property());
		}

		public Builder poolName(String poolName) {
			this.poolName = poolName;
			return this;
		}

		/**
		 * The settings, in the table's order; the pool name defaults to the application
		 * name.
		 */
		public DbPoolSettings build() {
			Map<PoolSetting<?>, Value<?>> ordered = new LinkedHashMap<>();
			for (PoolSetting<?> setting : PoolSettingTable.all()) {
				Value<?> value = this.values.get(setting);
				if (value != null) {
					ordered.put(setting, value);
				}
			}
			String name = this.poolName;
			if (name == null) {
				Value<?> applicationName = this.values.get(PoolSettingTable.APPLICATION_NAME);
				Object text = (applicationName != null) ? applicationName.value() : null;
				name = (text != null && !text.toString().isBlank()) ? text.toString() : "dbpool";
			}
			return new DbPoolSettings(ordered, name);
		}

	}

}
