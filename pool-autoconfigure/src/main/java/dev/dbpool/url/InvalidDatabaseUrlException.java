package dev.dbpool.url;

/**
 * Thrown when a database URL or one of its parameters is malformed. The message says what
 * is wrong and where, and never contains the password.
 */
public class InvalidDatabaseUrlException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	public InvalidDatabaseUrlException(String message) {
		super(message);
	}

}
