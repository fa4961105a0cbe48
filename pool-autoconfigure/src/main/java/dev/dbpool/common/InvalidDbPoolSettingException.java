package dev.dbpool.common;

/**
 * A setting the starter cannot use. Carries what the failure analyzer needs to teach: the
 * property, the value as given (never a password), what was expected and what to change.
 */
public class InvalidDbPoolSettingException extends RuntimeException {

	private final String property;

	private final String value;

	private final String expected;

	private final String action;

	public InvalidDbPoolSettingException(String property, Object value, String expected, String action) {
		this(property, value, expected, action, null);
	}

	public InvalidDbPoolSettingException(String property, Object value, String expected, String action,
			@org.jspecify.annotations.Nullable Throwable cause) {
		super("Invalid value '" + value + "' for " + property + ": expected " + expected + ". " + action, cause);
		this.property = property;
		this.value = String.valueOf(value);
		this.expected = expected;
		this.action = action;
	}

	/** Property (or environment variable, or URL parameter) that holds the bad value. */
	public String getProperty() {
		return this.property;
	}

	public String getValue() {
		return this.value;
	}

	public String getExpected() {
		return this.expected;
	}

	public String getAction() {
		return this.action;
	}

}
