package dev.dbpool.url;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the values of URL parameters whose syntax is unambiguous: whole numbers,
 * booleans, durations and fixed choices. A duration written as a bare number is seconds,
 * which is what the seeds mean by {@code statement_timeout=30}.
 */
final class ParameterValues {

	private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*([a-zA-Z]*)");

	private ParameterValues() {
	}

	static int parseInt(String name, String value) {
		String trimmed = value.strip();
		if (!trimmed.isEmpty() && trimmed.chars().allMatch(ParameterValues::isAsciiDigit)) {
			try {
				return Integer.parseInt(trimmed);
			}
			catch (NumberFormatException ex) {
				// too many digits: reported below
			}
		}
		throw invalid(name, value, "a whole number between 0 and " + Integer.MAX_VALUE, "10");
	}

	static boolean parseBoolean(String name, String value) {
		switch (value.strip().toLowerCase(Locale.ROOT)) {
			case "true", "1", "yes", "on" -> {
				return true;
			}
			case "false", "0", "no", "off" -> {
				return false;
			}
			default -> throw invalid(name, value, "true or false", "true");
		}
	}

	static Duration parseDuration(String name, String value) {
		Matcher matcher = DURATION.matcher(value.strip());
		if (matcher.matches()) {
			try {
				long amount = Long.parseLong(matcher.group(1));
				switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
					case "", "s", "sec" -> {
						return Duration.ofSeconds(amount);
					}
					case "ms" -> {
						return Duration.ofMillis(amount);
					}
					case "min" -> {
						return Duration.ofMinutes(amount);
					}
					case "h" -> {
						return Duration.ofHours(amount);
					}
					case "d" -> {
						return Duration.ofDays(amount);
					}
					default -> {
						// unknown unit: reported below
					}
				}
			}
			catch (NumberFormatException | ArithmeticException ex) {
				// out of range: reported below
			}
		}
		throw invalid(name, value,
				"a whole number of seconds (30) or a whole number with one of the units ms, s, min, h, d (500ms, 2min)",
				"30");
	}

	static String requireOneOf(String name, String value, String... allowed) {
		for (String candidate : allowed) {
			if (candidate.equalsIgnoreCase(value.strip())) {
				return candidate;
			}
		}
		throw invalid(name, value, "one of " + String.join(", ", allowed), allowed[0]);
	}

	private static InvalidDatabaseUrlException invalid(String name, String value, String expected, String example) {
		String shown = ParameterNames.isSecret(name) ? SecretMasking.MASK : "\"" + value + "\"";
		return new InvalidDatabaseUrlException("Invalid database URL: parameter " + name + "=" + shown
				+ " is not valid; expected " + expected + ", for example " + name + "=" + example + ".");
	}

	private static boolean isAsciiDigit(int c) {
		return c >= '0' && c <= '9';
	}

}
