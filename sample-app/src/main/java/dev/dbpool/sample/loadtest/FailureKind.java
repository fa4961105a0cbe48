package dev.dbpool.sample.loadtest;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** The seed's error kinds: why a unit of work failed. */
public enum FailureKind {

	/**
	 * No connection could be made or handed out for another reason than the pool being
	 * busy: the database is down, refused the login, or the pool is closed.
	 */
	CONNECTION_ERROR,

	/**
	 * The pool had no free connection within its pool timeout while the database was
	 * reachable: the pool is too small for the load.
	 */
	POOL_TIMEOUT,

	/** A connection was borrowed but a statement failed. */
	QUERY_ERROR;

	/**
	 * Classify a failure to borrow a connection. HikariCP reports a timeout as
	 * {@link SQLTransientConnectionException}; when it could not connect either, the
	 * timeout carries the last connection failure as its cause, and then the database,
	 * not the pool size, is the problem.
	 * @param failure what {@code getConnection()} threw
	 * @return {@link #POOL_TIMEOUT} or {@link #CONNECTION_ERROR}
	 */
	public static FailureKind ofAcquisition(SQLException failure) {
		if (failure instanceof SQLTransientConnectionException && failure.getCause() == null) {
			return POOL_TIMEOUT;
		}
		return CONNECTION_ERROR;
	}

	/** Name in the JSON report. */
	public String jsonName() {
		return switch (this) {
			case CONNECTION_ERROR -> "connectionErrors";
			case POOL_TIMEOUT -> "poolTimeouts";
			case QUERY_ERROR -> "queryErrors";
		};
	}

}
