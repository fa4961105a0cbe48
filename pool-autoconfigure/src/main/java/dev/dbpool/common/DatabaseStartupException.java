package dev.dbpool.common;

/**
 * The database could not be reached at startup, or refused us for a reason waiting will
 * not cure. Its message never holds the password.
 */
public class DatabaseStartupException extends RuntimeException {

	private final String action;

	public DatabaseStartupException(String description, String action, Throwable cause) {
		super(description, cause);
		this.action = action;
	}

	public String getAction() {
		return this.action;
	}

}
