package dev.dbpool.health;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What one probe of the database found.
 *
 * @param outcome whether the database answered, refused or did not answer in time
 * @param latencyNanos round trip of the probe query, when it answered; how long the pool
 * has been unable to lend, when it is busy
 * @param sqlState SQLSTATE of the failure, when known
 * @param reason human-readable reason of a failure, or what the pool's state says when it
 * is busy; never holds a URL or password
 */
public record ProbeResult(Outcome outcome, long latencyNanos, @Nullable String sqlState, @Nullable String reason) {

	/** How a probe ended. */
	public enum Outcome {

		/** The probe query completed. */
		ANSWERED,

		/**
		 * The pool could not lend a connection, but it has connections and has not been
		 * unable to lend for longer than a statement may take: busy, serving.
		 */
		BUSY,

		/** Connecting or the probe query failed. */
		FAILED,

		/** No answer within the health timeout. */
		TIMED_OUT

	}

	public static ProbeResult answered(long latencyNanos) {
		return new ProbeResult(Outcome.ANSWERED, latencyNanos, null, null);
	}

	/**
	 * The pool is busy but serving; no query was run.
	 * @param unableToLendNanos how long the pool has been unable to lend the probe a
	 * connection
	 * @param reason what the pool's state says
	 * @return the result
	 */
	public static ProbeResult busy(long unableToLendNanos, String reason) {
		return new ProbeResult(Outcome.BUSY, unableToLendNanos, null, reason);
	}

	public static ProbeResult failed(Throwable failure) {
		ProbeFailure description = ProbeFailure.of(failure);
		return new ProbeResult(Outcome.FAILED, 0, description.sqlState(), description.reason());
	}

	public static ProbeResult timedOut(Duration timeout) {
		return new ProbeResult(Outcome.TIMED_OUT, 0, null,
				"database did not answer within " + timeout.toMillis() + " ms");
	}

	public boolean answered() {
		return this.outcome == Outcome.ANSWERED;
	}

	/** Whether the database answered, or the pool is busy serving: ready either way. */
	public boolean serving() {
		return this.outcome == Outcome.ANSWERED || this.outcome == Outcome.BUSY;
	}

	/**
	 * Round trip in milliseconds with two decimals; a local server answers in well under
	 * one.
	 * @return the latency
	 */
	public double latencyMillis() {
		return Math.round(this.latencyNanos / 10_000.0) / 100.0;
	}

}
