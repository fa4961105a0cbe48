package dev.dbpool.datasource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import dev.dbpool.common.Durations;
import dev.dbpool.config.DbPoolSettings;
import dev.dbpool.config.PoolSettingTable;
import dev.dbpool.datasource.PoolerDetection.Kind;
import org.postgresql.PGConnection;

/**
 * Tells whether the application talks to PostgreSQL itself or to PgBouncer, and which of
 * the pool's settings conflict with what it found.
 * <p>
 * The signal: PostgreSQL announces each connection's backend pid in its BackendKeyData
 * message, and {@code pg_backend_pid()} returns the same number. PgBouncer answers the
 * client itself with a made-up cancel key, so the two differ; network address translation
 * and port mapping do not change them, so this does not mistake a Docker port or a
 * Kubernetes service for a pooler. Transaction pooling shows when a second client
 * connection, opened while the first stays open, runs on the same server backend the
 * first one just released (PgBouncer reuses the most recently released server connection
 * first).
 */
public final class PgBouncerDetector {

	/** Opens a plain connection configured like the pool's. */
	@FunctionalInterface
	public interface ConnectionOpener {

		Connection open() throws SQLException;

	}

	/**
	 * Look at the server through two short-lived connections.
	 * @param opener opens connections with the pool's URL and driver properties
	 * @return what was found
	 * @throws SQLException if the server cannot be queried
	 */
	public PoolerDetection detect(ConnectionOpener opener) throws SQLException {
		try (Connection first = opener.open()) {
			first.setAutoCommit(true);
			int announced = first.unwrap(PGConnection.class).getBackendPID();
			int actual = backendPid(first);
			String statementTimeout = show(first, "statement_timeout");
			String idleInTransaction = show(first, "idle_in_transaction_session_timeout");
			if (announced == actual) {
				return new PoolerDetection(Kind.DIRECT, announced, actual, statementTimeout, idleInTransaction);
			}
			try (Connection second = opener.open()) {
				second.setAutoCommit(true);
				Kind kind = (backendPid(second) == actual) ? Kind.POOLER_TRANSACTION_MODE : Kind.POOLER_OTHER_MODE;
				return new PoolerDetection(kind, announced, actual, statementTimeout, idleInTransaction);
			}
		}
	}

	/**
	 * Compare what was found with the pool's settings.
	 * @param server host and port, for messages
	 * @param settings the effective pool settings
	 * @param driverProperties the pgjdbc properties the pool uses
	 * @param detection what {@link #detect} found
	 * @return findings to log, warnings first; empty when all is consistent
	 */
	public List<Finding> findings(String server, DbPoolSettings settings, Properties driverProperties,
			PoolerDetection detection) {
		List<Finding> findings = new ArrayList<>();
		boolean pgbouncer = settings.get(PoolSettingTable.PGBOUNCER);
		boolean serverPrepares = !"0".equals(driverProperties.getProperty("prepareThreshold", "5").trim());
		String evidence = "the server announced backend pid " + detection.clientBackendPid()
				+ " but runs queries on backend " + detection.serverBackendPid();
		switch (detection.kind()) {
			case DIRECT -> {
				if (pgbouncer) {
					findings.add(Finding.warn("pgbouncer=true, but " + server + " is PostgreSQL itself, not PgBouncer "
							+ "(announced and actual backend pid are both " + detection.serverBackendPid()
							+ "): server-side prepared statements are off and query-timeout / "
							+ "idle-in-transaction-timeout are not sent at connect. Set db.pool.pgbouncer=false "
							+ "(or remove pgbouncer=true from the URL) unless PgBouncer will be put in front."));
				}
			}
			case POOLER_TRANSACTION_MODE -> {
				if (!pgbouncer && serverPrepares) {
					findings.add(Finding.warn(server + " is PgBouncer in transaction pooling mode (" + evidence
							+ ", and two client connections shared one server connection), but pgbouncer=false "
							+ "with server-side prepared statements on: a statement run "
							+ driverProperties.getProperty("prepareThreshold", "5")
							+ " times becomes a named prepared statement that another server connection does not "
							+ "know ('prepared statement \"S_1\" does not exist', SQLSTATE 26000, or 42P05). "
							+ "Set db.pool.pgbouncer=true (or pgbouncer=true in the URL)."));
				}
				else if (!pgbouncer) {
					findings.add(Finding.info(server + " is PgBouncer in transaction pooling mode (" + evidence
							+ "); prepared statements are already off, consider db.pool.pgbouncer=true."));
				}
			}
			case POOLER_OTHER_MODE -> {
				if (!pgbouncer && serverPrepares) {
					findings.add(Finding.info(server + " is a pooler such as PgBouncer (" + evidence
							+ "), apparently in session mode, where prepared statements work. If it uses "
							+ "transaction pooling, set db.pool.pgbouncer=true."));
				}
			}
		}
		if (pgbouncer && detection.pooler()) {
			timeoutFinding(server, "query-timeout", "statement_timeout", settings.get(PoolSettingTable.QUERY_TIMEOUT),
					detection.statementTimeout(), findings);
			timeoutFinding(server, "idle-in-transaction-timeout", "idle_in_transaction_session_timeout",
					settings.get(PoolSettingTable.IDLE_IN_TRANSACTION_TIMEOUT),
					detection.idleInTransactionSessionTimeout(), findings);
		}
		return findings;
	}

	/**
	 * Whether a failed connection attempt is PgBouncer refusing a startup parameter
	 * ({@code options}, which carries the server-side timeouts, or {@code search_path}).
	 * @param failure the connection failure
	 * @return true if PgBouncer rejected a startup parameter
	 */
	public static boolean isStartupParameterRejection(SQLException failure) {
		String message = failure.getMessage();
		return "08P01".equals(failure.getSQLState()) && message != null
				&& message.contains("unsupported startup parameter");
	}

	/**
	 * What to do when PgBouncer rejected a startup parameter.
	 * @param server host and port, for messages
	 * @param failure the connection failure
	 * @return the explanation and the fix
	 */
	public static String startupParameterRejectionAction(String server, SQLException failure) {
		return server + " is PgBouncer (it answered '" + failure.getMessage() + "'): it does not accept the "
				+ "'options' startup parameter that carries query-timeout and idle-in-transaction-timeout, nor "
				+ "search_path from db.pool.schema. Set db.pool.pgbouncer=true (or pgbouncer=true in the URL), "
				+ "and set the timeouts on the server instead (ALTER ROLE <user> SET statement_timeout = ...).";
	}

	private static void timeoutFinding(String server, String property, String parameter, Duration duration,
			String actual, List<Finding> findings) {
		if (duration.isZero()) {
			return;
		}
		if (!"0".equals(actual.trim())) {
			return;
		}
		findings.add(Finding
			.warn("db.pool." + property + " (" + Durations.format(duration) + ") is not in force behind PgBouncer at "
					+ server + ": PgBouncer rejects the startup options " + "that carry it, and the server reports "
					+ parameter + "=0. Set it where PgBouncer accepts it: " + "ALTER ROLE <user> SET " + parameter
					+ " = '" + duration.toMillis() + "ms' on PostgreSQL, or " + "connect_query='SET " + parameter + "="
					+ duration.toMillis() + "' on the database line of pgbouncer.ini."));
	}

	private static int backendPid(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT pg_backend_pid()")) {
			result.next();
			return result.getInt(1);
		}
	}

	private static String show(Connection connection, String parameter) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SHOW " + parameter)) {
			result.next();
			return result.getString(1);
		}
	}

	/**
	 * One observation for the startup log.
	 *
	 * @param warning whether it is logged as a warning (otherwise info)
	 * @param message what was found and what to do
	 */
	public record Finding(boolean warning, String message) {

		static Finding warn(String message) {
			return new Finding(true, message);
		}

		static Finding info(String message) {
			return new Finding(false, message);
		}

	}

}
