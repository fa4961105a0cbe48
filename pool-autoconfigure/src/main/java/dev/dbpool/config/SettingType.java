package dev.dbpool.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.dbpool.common.Durations;
import dev.dbpool.url.DatabaseUrl;
import org.jspecify.annotations.Nullable;

/**
 * The type of a pool setting: how its text is read from a property, a URL parameter or a
 * seed alias, how its value is printed, and what the IDE metadata calls it. A
 * {@code db.pool.*} duration needs a unit: a bare number other than 0 is refused.
 *
 * @param <T> the Java type of the value
 */
public final class SettingType<T> {

	private static final Pattern DURATION = Pattern.compile("([+-]?\\d+)\\s*(ns|us|ms|s|m|h|d)",
			Pattern.CASE_INSENSITIVE);

	private static final Pattern BARE_NUMBER = Pattern.compile("[+-]?\\d+");

	/** A whole number. */
	public static final SettingType<Integer> INTEGER = new SettingType<>("java.lang.Integer", "a whole number",
			SettingType::parseInteger, String::valueOf, DatabaseUrl::intParameter, false);

	/** A number that may have a fraction. */
	public static final SettingType<Double> DECIMAL = new SettingType<>("java.lang.Double", "a number",
			SettingType::parseDecimal, String::valueOf, null, false);

	/** A duration with a unit: {@code 500ms}, {@code 10s}, {@code 2m}, ISO-8601. */
	public static final SettingType<Duration> DURATION_TYPE = new SettingType<>("java.time.Duration",
			"a duration with a unit, such as 500ms or 10s", SettingType::parseDuration, Durations::format,
			DatabaseUrl::durationParameter, false);

	/** {@code true} or {@code false}. */
	public static final SettingType<Boolean> BOOLEAN = new SettingType<>("java.lang.Boolean", "true or false",
			SettingType::parseBoolean, String::valueOf, DatabaseUrl::booleanParameter, false);

	/** Free text. */
	public static final SettingType<String> TEXT = new SettingType<>("java.lang.String", "text", String::trim,
			Function.identity(), DatabaseUrl::parameter, false);

	/**
	 * A comma-separated set of words (also given as {@code [0]}, {@code [1]} entries).
	 */
	public static final SettingType<Set<String>> TEXT_SET = new SettingType<>("java.util.Set<java.lang.String>",
			"a comma-separated list", SettingType::parseSet, (set) -> String.join(",", set), null, true);

	/**
	 * Named entries below the property ({@code ...data-source-properties.sslfactory}).
	 */
	public static final SettingType<Map<String, String>> TEXT_MAP = new SettingType<>(
			"java.util.Map<java.lang.String,java.lang.String>", "named entries", SettingType::parseMap,
			(map) -> map.toString(), null, true);

	/** How a URL parameter of this type is read; null if no URL parameter has it. */
	@FunctionalInterface
	interface UrlReader<T> {

		@Nullable T read(DatabaseUrl url, String parameter);

	}

	private final String metadataType;

	private final String description;

	private final Function<String, T> parser;

	private final Function<T, String> printer;

	private final @Nullable UrlReader<T> urlReader;

	private final boolean container;

	private SettingType(String metadataType, String description, Function<String, T> parser,
			Function<T, String> printer, @Nullable UrlReader<T> urlReader, boolean container) {
		this.metadataType = metadataType;
		this.description = description;
		this.parser = parser;
		this.printer = printer;
		this.urlReader = urlReader;
		this.container = container;
	}

	/** Type name as written in {@code spring-configuration-metadata.json}. */
	public String metadataType() {
		return this.metadataType;
	}

	/** What a valid text looks like, for messages. */
	public String description() {
		return this.description;
	}

	/** Whether keys below the property belong to it (list indexes, map entries). */
	public boolean isContainer() {
		return this.container;
	}

	/** Whether this is the duration type. */
	public boolean isDuration() {
		return this == DURATION_TYPE;
	}

	/**
	 * Read a value from its text.
	 * @param text the text as given
	 * @return the value
	 * @throws IllegalArgumentException with the expected form as message
	 */
	public T parse(String text) {
		return this.parser.apply(text);
	}

	/** The value as shown at startup, in the docs and in the metadata. */
	public String print(T value) {
		return this.printer.apply(value);
	}

	/**
	 * A value known to be of this type, as this type.
	 * @param value the value
	 * @return the value
	 */
	@SuppressWarnings("unchecked")
	public T cast(Object value) {
		return (T) value;
	}

	@Nullable T readUrl(DatabaseUrl url, String parameter) {
		if (this.urlReader == null) {
			throw new IllegalStateException("No URL parameter is of type " + this.metadataType);
		}
		return this.urlReader.read(url, parameter);
	}

	/**
	 * Whether a {@code db.pool.*} text is a bare number that a duration cannot take: it
	 * would be read in one unit by one reader and another unit by another.
	 * @param text the text
	 * @return true for a bare number other than 0
	 */
	public static boolean isBareNumber(String text) {
		String trimmed = text.trim();
		return BARE_NUMBER.matcher(trimmed).matches() && Long.parseLong(trimmed.replace("+", "")) != 0;
	}

	private static Integer parseInteger(String text) {
		try {
			return Integer.valueOf(text.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("a whole number");
		}
	}

	private static Double parseDecimal(String text) {
		try {
			double value = Double.parseDouble(text.trim());
			if (!Double.isFinite(value)) {
				throw new NumberFormatException(text);
			}
			return value;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("a number, such as 0.5");
		}
	}

	private static Boolean parseBoolean(String text) {
		return switch (text.trim().toLowerCase(Locale.ROOT)) {
			case "true", "on", "yes", "1" -> true;
			case "false", "off", "no", "0" -> false;
			default -> throw new IllegalArgumentException("true or false");
		};
	}

	private static Duration parseDuration(String text) {
		String trimmed = text.trim();
		if (isBareNumber(trimmed)) {
			throw new IllegalArgumentException("a duration with a unit");
		}
		if (BARE_NUMBER.matcher(trimmed).matches()) {
			return Duration.ZERO;
		}
		Matcher matcher = DURATION.matcher(trimmed);
		if (matcher.matches()) {
			long amount = Long.parseLong(matcher.group(1).replace("+", ""));
			return switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
				case "ns" -> Duration.ofNanos(amount);
				case "us" -> Duration.ofNanos(amount * 1000);
				case "ms" -> Duration.ofMillis(amount);
				case "s" -> Duration.ofSeconds(amount);
				case "m" -> Duration.ofMinutes(amount);
				case "h" -> Duration.ofHours(amount);
				default -> Duration.ofDays(amount);
			};
		}
		try {
			return Duration.parse(trimmed);
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException("a duration with a unit, such as 500ms, 10s or 2m");
		}
	}

	private static Set<String> parseSet(String text) {
		return Arrays.stream(text.split(","))
			.map(String::trim)
			.filter((item) -> !item.isEmpty())
			.collect(Collectors.toCollection(LinkedHashSet::new));
	}

	private static Map<String, String> parseMap(String text) {
		throw new IllegalArgumentException("named entries below the property, such as ...sslfactory=...");
	}

}
