package dev.dbpool.sample.loadtest;

/** A command-line option the load test cannot use; the message names what to change. */
public class InvalidOptionException extends RuntimeException {

	public InvalidOptionException(String message) {
		super(message);
	}

	static InvalidOptionException invalidValue(String option, String value, String expected) {
		return new InvalidOptionException(
				"Invalid value '" + value + "' for " + option + ": expected " + expected + ".");
	}

}
