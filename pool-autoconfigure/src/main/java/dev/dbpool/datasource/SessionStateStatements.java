package dev.dbpool.datasource;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import dev.dbpool.common.SqlNormalizer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recognises statements that leave state on the server session, which PgBouncer in
 * transaction mode hands to whichever client runs next (and takes away from this one):
 * session {@code SET}, {@code LISTEN}, session advisory locks, SQL {@code PREPARE}, and
 * temporary tables without {@code ON COMMIT DROP}; and JDBC calls that do the same
 * ({@code Connection.setSchema}, {@code setClientInfo} of the application name).
 * Depending on {@code db.pool.pgbouncer-session-state} it logs one WARN per statement
 * shape (literals masked), refuses the statement before it is sent, or does nothing. Only
 * statements that start with one of those keywords, or mention an advisory lock, are
 * looked at closely.
 */
public final class SessionStateStatements {

	private static final Logger logger = LoggerFactory.getLogger(SessionStateStatements.class);

	/** Most statement shapes remembered as already reported. */
	private static final int MAX_REPORTED = 1000;

	private static final int SHAPE_LENGTH = 200;

	private static final Pattern LEADING_NOISE = Pattern.compile("^(\\s|--[^\\n]*\\n?|/\\*.*?\\*/)*", Pattern.DOTALL);

	private static final Pattern SESSION_SET = Pattern
		.compile("^SET\\s+(?!LOCAL\\s)(?!TRANSACTION\\s)(?!CONSTRAINTS?\\s)(SESSION\\s+)?\\S.*", Pattern.DOTALL);

	private static final Pattern SESSION_ADVISORY_LOCK = Pattern
		.compile(".*\\bPG_(TRY_)?ADVISORY_LOCK(_SHARED)?\\s*\\(.*", Pattern.DOTALL);

	private static final Pattern TEMP_TABLE = Pattern
		.compile("^CREATE\\s+((GLOBAL|LOCAL)\\s+)?(TEMP|TEMPORARY)\\s+(TABLE|SEQUENCE|VIEW)\\b.*", Pattern.DOTALL);

	private static final Pattern ON_COMMIT_DROP = Pattern.compile(".*\\bON\\s+COMMIT\\s+DROP\\b.*", Pattern.DOTALL);

	/** What to do with a statement that keeps session state. */
	public enum Mode {

		/** Log one WARN per statement shape and run it. */
		WARN,

		/** Refuse it with an SQLException before it is sent. */
		FAIL,

		/** Run it silently. */
		IGNORE;

		/**
		 * The mode named by a property value.
		 * @param value warn, fail or ignore, in any case
		 * @return the mode, or {@code null} if the value names none
		 */
		public static @Nullable Mode of(String value) {
			for (Mode mode : values()) {
				if (mode.name().equalsIgnoreCase(value.trim())) {
					return mode;
				}
			}
			return null;
		}

	}

	private final Mode mode;

	private final String server;

	private final Map<String, Boolean> reported = new ConcurrentHashMap<>();

	/**
	 * Create the check.
	 * @param mode what to do with a statement that keeps session state
	 * @param server host and port of the pooler, for messages
	 */
	public SessionStateStatements(Mode mode, String server) {
		this.mode = mode;
		this.server = server;
	}

	/** What to do with a statement that keeps session state. */
	public Mode mode() {
		return this.mode;
	}

	/**
	 * Look at a statement before it is prepared or run.
	 * @param sql the statement
	 * @throws SQLException in fail mode, if the statement keeps session state
	 */
	public void check(String sql) throws SQLException {
		if (this.mode == Mode.IGNORE || !mayKeepSessionState(sql)) {
			return;
		}
		String problem = problem(sql);
		if (problem == null) {
			return;
		}
		String shape = SqlNormalizer.normalize(sql, SHAPE_LENGTH);
		String message = "'" + shape + "' " + problem + " (db.pool.pgbouncer-session-state="
				+ mode().name().toLowerCase(Locale.ROOT) + "; the pooler is " + this.server + ")";
		if (this.mode == Mode.FAIL) {
			throw new SQLFeatureNotSupportedException("Refused behind PgBouncer in transaction mode: " + message,
					"0A000");
		}
		if (this.reported.size() < MAX_REPORTED && this.reported.putIfAbsent(shape, Boolean.TRUE) == null) {
			logger.warn("Behind PgBouncer in transaction mode: {}", message);
		}
	}

	/**
	 * Look at a JDBC call that sets session state (such as {@code Connection.setSchema}),
	 * as {@link #check(String)} does at a statement.
	 * @param call the call, as the message names it
	 * @param problem why it is unsafe behind a transaction pooler, with the safe form
	 * @throws SQLException in fail mode
	 */
	public void checkCall(String call, String problem) throws SQLException {
		if (this.mode == Mode.IGNORE) {
			return;
		}
		String message = call + " " + problem + " (db.pool.pgbouncer-session-state="
				+ this.mode.name().toLowerCase(Locale.ROOT) + "; the pooler is " + this.server + ")";
		if (this.mode == Mode.FAIL) {
			throw new SQLFeatureNotSupportedException("Refused behind PgBouncer in transaction mode: " + message,
					"0A000");
		}
		if (this.reported.putIfAbsent(call, Boolean.TRUE) == null) {
			logger.warn("Behind PgBouncer in transaction mode: {}", message);
		}
	}

	/**
	 * Log a WARN once per key, whatever the mode: behaviour behind a transaction pooler
	 * that differs from a direct connection and that no setting changes.
	 * @param key what the warning is about
	 * @param message the warning
	 */
	public void warnOnce(String key, String message) {
		if (this.reported.putIfAbsent("warning " + key, Boolean.TRUE) == null) {
			logger.warn("Behind PgBouncer in transaction mode: {} (the pooler is {})", message, this.server);
		}
	}

	/**
	 * Why a statement is unsafe behind a transaction pooler, with the safe alternative.
	 * @param sql the statement
	 * @return the explanation, or {@code null} if the statement keeps no session state
	 */
	static @Nullable String problem(String sql) {
		String text = LEADING_NOISE.matcher(sql).replaceFirst("").toUpperCase(Locale.ROOT);
		if (SESSION_SET.matcher(text).matches()) {
			return "sets a session parameter, which stays on a server connection that other clients get next and is "
					+ "missing from the next transaction of this one: use SET LOCAL inside the transaction, or set it "
					+ "for the role (ALTER ROLE ... SET)";
		}
		if (text.startsWith("LISTEN") && (text.length() == 6 || !Character.isLetterOrDigit(text.charAt(6)))) {
			return "subscribes the server connection, not this client: notifications reach whichever client holds "
					+ "it; LISTEN on a dedicated connection straight to PostgreSQL (not through PgBouncer)";
		}
		if (text.startsWith("PREPARE") && (text.length() > 7 && Character.isWhitespace(text.charAt(7)))) {
			return "prepares a statement on one server connection, which the next EXECUTE may not find: use a JDBC "
					+ "PreparedStatement (pgjdbc sends it unnamed with pgbouncer=true)";
		}
		if (TEMP_TABLE.matcher(text).matches() && !ON_COMMIT_DROP.matcher(text).matches()) {
			return "creates a temporary object that outlives the transaction on a server connection other clients get "
					+ "next: add ON COMMIT DROP and use it within the one transaction";
		}
		if (SESSION_ADVISORY_LOCK.matcher(text).matches()) {
			return "takes a session advisory lock, held by a server connection that other clients get next and not "
					+ "released by this one: use pg_advisory_xact_lock / pg_try_advisory_xact_lock, released at the "
					+ "end of the transaction";
		}
		return null;
	}

	/** The cheap first look: a keyword at the start, or an advisory lock anywhere. */
	private static boolean mayKeepSessionState(String sql) {
		int length = sql.length();
		int i = 0;
		while (i < length && Character.isWhitespace(sql.charAt(i))) {
			i++;
		}
		if (i < length && (sql.charAt(i) == '-' || sql.charAt(i) == '/')) {
			// A leading comment: leave the decision to the full look.
			return true;
		}
		if (sql.regionMatches(true, i, "SET", 0, 3) || sql.regionMatches(true, i, "LISTEN", 0, 6)
				|| sql.regionMatches(true, i, "PREPARE", 0, 7) || sql.regionMatches(true, i, "CREATE", 0, 6)) {
			return true;
		}
		return sql.indexOf("advisory") >= 0 || sql.indexOf("ADVISORY") >= 0 || sql.indexOf("Advisory") >= 0;
	}

}
