package dev.dbpool.retry;

/**
 * How one operation is retried.
 *
 * @param maxAttempts attempts including the first; 1 disables retry
 * @param idempotent whether running the operation twice is harmless, so that failures
 * with an unknown commit outcome are retried too
 */
public record RetrySettings(int maxAttempts, boolean idempotent) {

	public RetrySettings {
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
		}
	}

	/**
	 * The same settings with another number of attempts.
	 * @param maxAttempts attempts including the first
	 * @return new settings
	 */
	public RetrySettings withMaxAttempts(int maxAttempts) {
		return new RetrySettings(maxAttempts, this.idempotent);
	}

	/**
	 * The same settings, declared idempotent or not.
	 * @param idempotent whether running the operation twice is harmless
	 * @return new settings
	 */
	public RetrySettings withIdempotent(boolean idempotent) {
		return new RetrySettings(this.maxAttempts, idempotent);
	}

}
