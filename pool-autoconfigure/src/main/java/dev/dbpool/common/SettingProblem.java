package dev.dbpool.common;

/**
 * One setting the starter cannot use: the property (or environment variable, or URL
 * parameter) that holds it, the value as given (never a password), what was expected and
 * what to change.
 *
 * @param property where the value was set
 * @param value the value as given, masked when it may hold a secret
 * @param expected what a valid value looks like
 * @param action what to change
 */
public record SettingProblem(String property, String value, String expected, String action) {

	/** One line: {@code property=value: expected ...; action}. */
	@Override
	public String toString() {
		return this.property + "=" + this.value + ": expected " + this.expected + ". " + this.action;
	}

}
