package dev.dbpool.retry;

import org.jspecify.annotations.Nullable;

/**
 * Receives the retry layer's events, for metrics and statistics. Called on the failing
 * thread, only when something failed; implementations must be cheap and must not throw.
 * The SQLSTATE is {@code null} when the failure carried none (a pool acquisition timeout
 * while nothing had failed yet).
 */
public interface TransientRetryListener {

	/**
	 * An attempt failed and another one follows.
	 * @param name the retried operation
	 * @param sqlState SQLSTATE of the failure
	 * @param retry number of this retry, 1 for the first
	 * @param delayMillis back-off before it
	 */
	default void onRetry(String name, @Nullable String sqlState, int retry, long delayMillis) {
	}

	/**
	 * A call succeeded after at least one retry.
	 * @param name the retried operation
	 * @param sqlState SQLSTATE of the last failure before the success
	 * @param retries retries it took
	 */
	default void onSuccessAfterRetry(String name, @Nullable String sqlState, int retries) {
	}

	/**
	 * A call failed with a retryable failure and no attempt was left.
	 * @param name the retried operation
	 * @param sqlState SQLSTATE of the last failure
	 * @param attempts attempts made
	 */
	default void onExhausted(String name, @Nullable String sqlState, int attempts) {
	}

	/**
	 * A retry was refused because the retry budget was spent.
	 * @param name the retried operation
	 * @param sqlState SQLSTATE of the failure
	 */
	default void onBudgetRejected(String name, @Nullable String sqlState) {
	}

	/**
	 * The connection broke while COMMIT was in flight; the call failed with
	 * {@link CommitOutcomeUnknownException}.
	 * @param name the retried operation
	 * @param sqlState SQLSTATE of the failure
	 */
	default void onCommitOutcomeUnknown(String name, @Nullable String sqlState) {
	}

	/**
	 * The server was asked what became of a transaction whose connection broke at COMMIT,
	 * or the transaction turned out to have written nothing.
	 * @param name the operation's name
	 * @param outcome committed, aborted, unknown, or wrote-nothing
	 */
	default void onCommitOutcomeResolved(String name, String outcome) {
	}

}
