package dev.dbpool.retry;

import java.io.Serial;

/**
 * A {@code db.pool.retry.*} property has a value the retry layer cannot work with.
 * Reported at startup by {@link InvalidRetryPropertyFailureAnalyzer}.
 */
public class InvalidRetryPropertyException extends IllegalStateException {

	@Serial
	private static final long serialVersionUID = 1L;

	private final String property;

	private final String value;

	private final String expected;

	/**
	 * Create the exception.
	 * @param property full name of the property
	 * @param value the value it has
	 * @param expected what it should be
	 */
	public InvalidRetryPropertyException(String property, Object value, String expected) {
		super("Invalid value '" + value + "' for " + property + ": expected " + expected);
		this.property = property;
		this.value = String.valueOf(value);
		this.expected = expected;
	}

	public String getProperty() {
		return this.property;
	}

	public String getValue() {
		return this.value;
	}

	public String getExpected() {
		return this.expected;
	}

}
