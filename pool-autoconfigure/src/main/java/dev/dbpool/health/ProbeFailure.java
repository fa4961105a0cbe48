package dev.dbpool.health;

import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;

import org.jspecify.annotations.Nullable;

/**
 * A probe failure reduced to its SQLSTATE and a reason written by us: driver messages are
 * never passed on, because some of them quote host names, URLs or user names.
 *
 * @param sqlState the SQLSTATE found in the cause chain, if any
 * @param reason human-readable reason
 */
public record ProbeFailure(@Nullable String sqlState, String reason) {

	/**
	 * Describe a failure of the probe.
	 * @param failure what the probe threw
	 * @return the description
	 */
	public static ProbeFailure of(Throwable failure) {
		String sqlState = findSqlState(failure);
		if (sqlState != null) {
			return new ProbeFailure(sqlState, describe(sqlState));
		}
		if (isTimeout(failure)) {
			return new ProbeFailure(null, "timed out connecting to the database or waiting for its answer");
		}
		return new ProbeFailure(null, "probe failed with " + failure.getClass().getSimpleName());
	}

	/**
	 * Reason for an SQLSTATE, in the terms an operator uses.
	 * @param sqlState the SQLSTATE
	 * @return the reason
	 */
	static String describe(String sqlState) {
		return switch (sqlState) {
			case "08001" -> "cannot connect: connection refused or host unreachable";
			case "08003" -> "connection does not exist";
			case "08004" -> "server rejected the connection";
			case "08006" -> "connection failure: the connection broke while in use";
			case "08P01" -> "protocol violation";
			case "57P01" -> "server is shutting down (administrator command)";
			case "57P02" -> "server crashed and is restarting";
			case "57P03" -> "server is starting up, shutting down or in recovery and cannot accept connections";
			case "57P04" -> "database dropped";
			case "57P05" -> "connection terminated for idle session timeout";
			case "57014" -> "probe query was cancelled (statement timeout)";
			case "53300" -> "too many connections: the server has no free connection slot";
			case "53000", "53100", "53200" -> "server is out of resources";
			case "28P01", "28000" -> "authentication failed";
			case "3D000" -> "database does not exist";
			case "25006" -> "server is read-only";
			default -> sqlState.startsWith("08") ? "connection failure" : "probe query failed";
		};
	}

	private static @Nullable String findSqlState(Throwable failure) {
		for (Throwable each = failure; each != null; each = (each.getCause() != each) ? each.getCause() : null) {
			if (each instanceof SQLException sqlException && sqlException.getSQLState() != null
					&& !sqlException.getSQLState().isBlank()) {
				return sqlException.getSQLState();
			}
		}
		return null;
	}

	private static boolean isTimeout(Throwable failure) {
		for (Throwable each = failure; each != null; each = (each.getCause() != each) ? each.getCause() : null) {
			if (each instanceof SQLTimeoutException || each instanceof SocketTimeoutException
					|| each instanceof SQLTransientConnectionException) {
				return true;
			}
		}
		return false;
	}

}
