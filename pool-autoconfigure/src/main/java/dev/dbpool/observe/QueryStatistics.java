package dev.dbpool.observe;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of all statements since start or the last reset. Lock-free on the hot path.
 */
public final class QueryStatistics {

	private final Clock clock;

	private final LongAdder executed = new LongAdder();

	private final LongAdder slow = new LongAdder();

	private final LongAdder errors = new LongAdder();

	private final LongAdder totalNanos = new LongAdder();

	private volatile Instant lastReset;

	public QueryStatistics(Clock clock) {
		this.clock = clock;
		this.lastReset = clock.instant();
	}

	void recordExecution(long elapsedNanos) {
		this.executed.increment();
		this.totalNanos.add(elapsedNanos);
	}

	void recordSlow() {
		this.slow.increment();
	}

	void recordError() {
		this.errors.increment();
	}

	/** Zero every counter and restart the uptime. */
	public void reset() {
		this.lastReset = this.clock.instant();
		this.executed.reset();
		this.slow.reset();
		this.errors.reset();
		this.totalNanos.reset();
	}

	/**
	 * Current values, as the {@code queries} section shows them.
	 * @return a consistent-enough snapshot (counters are read one after the other)
	 */
	public Snapshot snapshot() {
		long count = this.executed.sum();
		long slowCount = this.slow.sum();
		double average = (count > 0) ? round2(this.totalNanos.sum() / (double) count / 1_000_000.0) : 0.0;
		double slowRate = (count > 0) ? round2(slowCount * 100.0 / count) : 0.0;
		Instant reset = this.lastReset;
		long uptime = Math.max(0, this.clock.millis() - reset.toEpochMilli());
		return new Snapshot(count, slowCount, this.errors.sum(), average, slowRate, uptime, reset);
	}

	static double round2(double value) {
		return Math.round(value * 100.0) / 100.0;
	}

	/**
	 * The {@code queries} section.
	 *
	 * @param queriesExecuted statements executed
	 * @param slowQueries statements at or above the slow-query threshold
	 * @param queryErrors statements that failed
	 * @param averageQueryTime mean elapsed time in milliseconds
	 * @param slowQueryRate slow statements in percent of all
	 * @param uptimeMs milliseconds since start or last reset
	 * @param lastResetTime start or last reset
	 */
	public record Snapshot(long queriesExecuted, long slowQueries, long queryErrors, double averageQueryTime,
			double slowQueryRate, long uptimeMs, Instant lastResetTime) {

	}

}
