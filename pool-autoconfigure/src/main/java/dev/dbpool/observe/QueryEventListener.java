package dev.dbpool.observe;

import org.jspecify.annotations.Nullable;

/**
 * Receives every observed statement; the Micrometer binding implements it. Called on the
 * hot path, so implementations must not block, log or allocate on success.
 */
public interface QueryEventListener {

	/** Listener that does nothing. */
	QueryEventListener NONE = new QueryEventListener() {
	};

	/**
	 * A statement completed successfully.
	 * @param kind what the statement does
	 * @param elapsedNanos elapsed time of the execute call
	 */
	default void succeeded(StatementKind kind, long elapsedNanos) {
	}

	/**
	 * A statement failed.
	 * @param kind what the statement does
	 * @param elapsedNanos elapsed time of the execute call
	 * @param sqlState SQLSTATE of the failure, when the driver gave one
	 */
	default void failed(StatementKind kind, long elapsedNanos, @Nullable String sqlState) {
	}

	/**
	 * A statement reached the slow-query threshold (in addition to {@link #succeeded} or
	 * {@link #failed}).
	 * @param kind what the statement does
	 * @param elapsedNanos elapsed time of the execute call
	 */
	default void slow(StatementKind kind, long elapsedNanos) {
	}

	/**
	 * A transaction that ran at least one statement ended. Called once per transaction,
	 * never for autocommit statements.
	 * @param statements statements it ran
	 * @param durationNanos time from its begin to the end of its commit or rollback
	 * @param committed whether it ended in a commit
	 */
	default void transactionEnded(int statements, long durationNanos, boolean committed) {
	}

}
