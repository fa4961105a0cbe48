package dev.dbpool.retry;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

/**
 * Decides whether a failure is worth retrying from the SQLSTATEs in its cause chain (and
 * in each {@link SQLException#getNextException() next exception}), never from exception
 * classes: Spring's translated exceptions both miss connection failures and count 40003
 * as transient. Used by the retry layer and by startup retry, so that authentication
 * (28xxx) and missing database (3D000) failures fail at once everywhere.
 * <p>
 * The first SQLSTATE found, from the outermost exception inwards, decides. An exception
 * without any SQLSTATE is retried only if it is a {@link SQLTransientConnectionException}
 * (HikariCP's pool acquisition timeout: nothing was sent). Thread-safe and free of
 * Spring.
 */
public final class TransientFailureClassifier {

	/** Serialization failure. */
	public static final String SERIALIZATION_FAILURE = "40001";

	/** Deadlock detected. */
	public static final String DEADLOCK_DETECTED = "40P01";

	/** Statement timeout or user cancel; retried only when opted in. */
	public static final String QUERY_CANCELED = "57014";

	private static final Map<String, RetryClassification> DEFAULTS = Map.ofEntries(
			Map.entry(SERIALIZATION_FAILURE, RetryClassification.RETRY_TRANSACTION),
			Map.entry(DEADLOCK_DETECTED, RetryClassification.RETRY_TRANSACTION),
			// sqlclient_unable_to_establish_sqlconnection: connection refused, DNS.
			Map.entry("08001", RetryClassification.RETRY_NOT_SENT),
			// too_many_connections.
			Map.entry("53300", RetryClassification.RETRY_NOT_SENT),
			// cannot_connect_now: starting up or shutting down.
			Map.entry("57P03", RetryClassification.RETRY_NOT_SENT),
			// protocol_violation: what PgBouncer reports for its own pooler errors.
			Map.entry("08P01", RetryClassification.RETRY_NOT_SENT),
			Map.entry("08006", RetryClassification.RETRY_IF_BEFORE_COMMIT),
			Map.entry("08003", RetryClassification.RETRY_IF_BEFORE_COMMIT),
			Map.entry("08007", RetryClassification.RETRY_IF_BEFORE_COMMIT),
			// admin_shutdown (pg_terminate_backend, fast shutdown), crash_shutdown.
			Map.entry("57P01", RetryClassification.RETRY_IF_BEFORE_COMMIT),
			Map.entry("57P02", RetryClassification.RETRY_IF_BEFORE_COMMIT),
			// idle_in_transaction_session_timeout.
			Map.entry("25P03", RetryClassification.RETRY_IF_BEFORE_COMMIT));

	/** Deepest cause chain walked; real chains are a handful of exceptions. */
	private static final int MAX_DEPTH = 64;

	private final Map<String, RetryClassification> classifications;

	/** A classifier with the default SQLSTATE table and 57014 not retried. */
	public TransientFailureClassifier() {
		this(false, Set.of(), Set.of());
	}

	/**
	 * A classifier with the default table adjusted.
	 * @param retryStatementTimeout whether 57014 (statement timeout) is retried as a
	 * whole transaction
	 * @param additionalSqlStates further SQLSTATEs retried as whole transactions
	 * @param excludedSqlStates SQLSTATEs never retried, whatever the rest says
	 * @throws IllegalArgumentException if a value is not a five-character SQLSTATE
	 */
	public TransientFailureClassifier(boolean retryStatementTimeout, Set<String> additionalSqlStates,
			Set<String> excludedSqlStates) {
		Map<String, RetryClassification> table = new HashMap<>(DEFAULTS);
		if (retryStatementTimeout) {
			table.put(QUERY_CANCELED, RetryClassification.RETRY_TRANSACTION);
		}
		for (String state : additionalSqlStates) {
			table.put(normalize(state), RetryClassification.RETRY_TRANSACTION);
		}
		for (String state : excludedSqlStates) {
			table.remove(normalize(state));
		}
		this.classifications = Map.copyOf(table);
	}

	/**
	 * Classify a failure.
	 * @param failure the exception thrown by an attempt
	 * @return what the retry layer may do with it
	 */
	public RetryClassification classify(Throwable failure) {
		boolean transientConnection = false;
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		Throwable current = failure;
		for (int depth = 0; current != null && depth < MAX_DEPTH && seen.add(current); depth++) {
			if (current instanceof NotRetryable) {
				return RetryClassification.NEVER;
			}
			if (current instanceof SQLException sqlException) {
				String state = firstSqlState(sqlException, seen);
				if (state != null) {
					return classifySqlState(state);
				}
				transientConnection |= current instanceof SQLTransientConnectionException;
			}
			current = current.getCause();
		}
		return transientConnection ? RetryClassification.RETRY_NOT_SENT : RetryClassification.NEVER;
	}

	/**
	 * Classify one SQLSTATE.
	 * @param sqlState a five-character SQLSTATE
	 * @return its classification; {@link RetryClassification#NEVER} when unknown
	 */
	public RetryClassification classifySqlState(String sqlState) {
		return this.classifications.getOrDefault(sqlState.toUpperCase(Locale.ROOT), RetryClassification.NEVER);
	}

	/**
	 * The SQLSTATEs this classifier retries, in whatever form: the default table with the
	 * configured additions and exclusions.
	 * @return the SQLSTATEs, sorted
	 */
	public SortedSet<String> retryableSqlStates() {
		return Collections.unmodifiableSortedSet(new TreeSet<>(this.classifications.keySet()));
	}

	/**
	 * The SQLSTATE that decides a failure's classification: the first one in its cause
	 * chain, looking at each SQLException's next exceptions as well.
	 * @param failure any exception
	 * @return the SQLSTATE, or {@code null} if the chain carries none
	 */
	public static @Nullable String sqlState(Throwable failure) {
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		Throwable current = failure;
		for (int depth = 0; current != null && depth < MAX_DEPTH && seen.add(current); depth++) {
			if (current instanceof SQLException sqlException) {
				String state = firstSqlState(sqlException, seen);
				if (state != null) {
					return state;
				}
			}
			current = current.getCause();
		}
		return null;
	}

	/**
	 * Whether a value has the shape of a SQLSTATE: five digits or upper-case letters.
	 * @param value the value to check
	 * @return {@code true} for values such as {@code 40001} or {@code 40P01}
	 */
	public static boolean isSqlState(@Nullable String value) {
		if (value == null || value.length() != 5) {
			return false;
		}
		for (int i = 0; i < 5; i++) {
			char c = Character.toUpperCase(value.charAt(i));
			if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) {
				return false;
			}
		}
		return true;
	}

	private static @Nullable String firstSqlState(SQLException exception, Set<Throwable> seen) {
		String state = exception.getSQLState();
		if (state != null && !state.isBlank()) {
			return state.toUpperCase(Locale.ROOT);
		}
		SQLException next = exception.getNextException();
		for (int depth = 0; next != null && depth < MAX_DEPTH && seen.add(next); depth++) {
			String nextState = next.getSQLState();
			if (nextState != null && !nextState.isBlank()) {
				return nextState.toUpperCase(Locale.ROOT);
			}
			next = next.getNextException();
		}
		return null;
	}

	private static String normalize(String state) {
		String trimmed = state.trim();
		if (!isSqlState(trimmed)) {
			throw new IllegalArgumentException(
					"'" + state + "' is not a SQLSTATE: expected five digits or upper-case letters, such as 40001");
		}
		return trimmed.toUpperCase(Locale.ROOT);
	}

	@Override
	public String toString() {
		return "TransientFailureClassifier" + new TreeMap<>(this.classifications);
	}

}
