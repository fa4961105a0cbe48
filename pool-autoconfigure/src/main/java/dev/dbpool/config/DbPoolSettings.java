package dev.dbpool.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import dev.dbpool.datasource.PoolSettingsResolver;
import org.jspecify.annotations.Nullable;

/**
 * The effective pool configuration: every value the starter applied and where it came
 * from. Built once at startup; shown at startup, in {@code /metrics/database} and in the
 * Actuator endpoint. Never holds the password.
 */
public final class DbPoolSettings {

	/** Where a value came from, strongest first. */
	public enum Source {

		/** An explicit {@code db.pool.*} property, from any property source. */
		PROPERTY,

		/** A query parameter of the database URL. */
		URL,

		/** One of the seed environment aliases, such as {@code DB_POOL_TIMEOUT}. */
		ENVIRONMENT,

		/** Derived from other values (socket timeout from query timeout, for example). */
		DERIVED,

		/** The starter's tuned default. */
		DEFAULT;

		/** Lower-case name as shown in JSON and logs. */
		public String label() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	/** One effective value. */
	public record Setting(String name, @Nullable Object value, Source source) {

	}

	private final Map<String, Setting> entries;

	public DbPoolSettings(Map<String, Setting> entries) {
		this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
	}

	/** Every effective value by camelCase name, in a stable order. */
	public Map<String, Setting> entries() {
		return this.entries;
	}

	public @Nullable Object value(String name) {
		Setting setting = this.entries.get(name);
		return (setting != null) ? setting.value() : null;
	}

	public Source source(String name) {
		Setting setting = this.entries.get(name);
		return (setting != null) ? setting.source() : Source.DEFAULT;
	}

	public int connectionLimit() {
		return (Integer) require("connectionLimit");
	}

	public Duration poolTimeout() {
		return (Duration) require("poolTimeout");
	}

	public Duration queryTimeout() {
		return (Duration) require("queryTimeout");
	}

	public Duration slowQueryThreshold() {
		return (Duration) require("slowQueryThreshold");
	}

	public String poolName() {
		return (String) require("poolName");
	}

	private Object require(String name) {
		Object value = value(name);
		if (value == null) {
			throw new IllegalStateException("No effective value for '" + name + "'");
		}
		return value;
	}

	/**
	 * One line for the startup log: {@code name=value (source)}, durations in ISO form.
	 */
	@Override
	public String toString() {
		return this.entries.values()
			.stream()
			.map((setting) -> setting.name() + "=" + format(setting.value()) + " (" + setting.source().label() + ")")
			.collect(Collectors.joining(", ", "DbPoolSettings[", "]"));
	}

	private static String format(@Nullable Object value) {
		return (value instanceof Duration duration) ? PoolSettingsResolver.format(duration) : String.valueOf(value);
	}

}
