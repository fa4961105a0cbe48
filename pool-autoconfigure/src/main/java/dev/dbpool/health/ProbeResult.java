package dev.dbpool.health;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What one probe of the database found.
 *
 * @param outcome whether the database answered, refused or did not answer in time
 * @param latencyNanos round trip of the probe query, when it answered
 * @param sqlState SQLSTATE of the failure, when known
 * @param reason human-readable reason of a failure; never holds a URL or password
 */
public record ProbeResult(Outcome outcome, long latencyNanos, @Nullable String sqlState, @Nullable String reason) {

	/** How a probe ended. */
	public enum Outcome {

		/** The probe query completed. */
		ANSWERED,

		/** Connecting or the probe query failed. */
		FAILED,

		/** No answer within the health timeout. */
		TIMED_OUT

	}

	public static ProbeResult answered(long latencyNanos) {
		return new ProbeResult(Outcome.ANSWERED, latencyNanos, null, null);
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

	/**
	 * Round trip in milliseconds with two decimals; a local server answers in well under
	 * one.
	 * @return the latency
	 */
	public double latencyMillis() {
		return Math.round(this.latencyNanos / 10_000.0) / 100.0;
	}

}
