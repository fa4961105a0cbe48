package dev.dbpool.url;

/** Temporary. */
public class InvalidDatabaseUrlException extends IllegalArgumentException {

	public InvalidDatabaseUrlException(String message) {
		super(message);
	}

}
