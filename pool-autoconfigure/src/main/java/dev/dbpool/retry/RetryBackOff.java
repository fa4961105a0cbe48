package dev.dbpool.retry;

import java.time.Duration;

/**
 * Delays between attempts, in two families: contention failures (serialization, deadlock)
 * clear as soon as the competing transaction finishes, so they start at a few
 * milliseconds; availability failures (server restarting, connections refused) last
 * seconds, so they start at a second. Both grow exponentially to their own ceiling, and a
 * random share of each delay (the jitter) keeps callers that failed together from
 * retrying together.
 *
 * @param initialDelay first delay after an availability failure
 * @param maxDelay ceiling of availability delays
 * @param contentionInitialDelay first delay after a contention failure
 * @param contentionMaxDelay ceiling of contention delays
 * @param multiplier growth factor, at least 1
 * @param jitter share of each delay, from 0 to 1, replaced by a random amount
 */
public record RetryBackOff(Duration initialDelay, Duration maxDelay, Duration contentionInitialDelay,
		Duration contentionMaxDelay, double multiplier, double jitter) {

	public RetryBackOff {
		if (multiplier < 1) {
			throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
		}
		if (jitter < 0 || jitter > 1) {
			throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
		}
	}

	/**
	 * The delay before a retry.
	 * @param classification what the failure was
	 * @param retryInFamily how many retries of the same family this call already made
	 * before this one (0 for the first)
	 * @param random a uniformly distributed value in [0, 1)
	 * @return the delay in milliseconds, never negative
	 */
	public long delayMillis(RetryClassification classification, int retryInFamily, double random) {
		boolean contention = classification.isContention();
		long initial = (contention ? this.contentionInitialDelay : this.initialDelay).toMillis();
		long ceiling = (contention ? this.contentionMaxDelay : this.maxDelay).toMillis();
		double base = Math.min(ceiling, initial * Math.pow(this.multiplier, retryInFamily));
		// Spread [base * (1 - jitter), base * (1 + jitter)], then keep it under the
		// ceiling so that max-delay stays a promise.
		double spread = base * this.jitter * (2 * random - 1);
		return Math.max(0, Math.min(ceiling, Math.round(base + spread)));
	}

}
