package dev.dbpool.retry;

/**
 * What a failure allows the retry layer to do, decided from its SQLSTATE by
 * {@link TransientFailureClassifier}.
 */
public enum RetryClassification {

	/**
	 * The server rolled the transaction back (serialization failure 40001, deadlock
	 * 40P01): run the whole transaction again, even when the failure came from COMMIT.
	 */
	RETRY_TRANSACTION(true),

	/**
	 * Nothing reached the server (cannot connect, too many connections, server starting,
	 * pool acquisition timeout, PgBouncer pooler error): safe to run again.
	 */
	RETRY_NOT_SENT(true),

	/**
	 * The connection broke (08006, 08003, 08007, 57P01, 57P02, 25P03): safe to run again
	 * only if COMMIT had not been sent, otherwise the outcome is unknown.
	 */
	RETRY_IF_BEFORE_COMMIT(true),

	/** Not transient, or not safe to retry: fail at once. */
	NEVER(false);

	private final boolean retryable;

	RetryClassification(boolean retryable) {
		this.retryable = retryable;
	}

	/**
	 * Whether the failure may be retried at all (subject to commit safety).
	 * @return {@code false} only for {@link #NEVER}
	 */
	public boolean isRetryable() {
		return this.retryable;
	}

	/**
	 * Whether the failure is contention (serialization or deadlock) rather than a
	 * database that is unavailable; the two use different delays.
	 * @return {@code true} for {@link #RETRY_TRANSACTION}
	 */
	public boolean isContention() {
		return this == RETRY_TRANSACTION;
	}

}
