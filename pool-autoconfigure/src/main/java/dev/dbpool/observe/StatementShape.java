package dev.dbpool.observe;

import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * One statement shape and its counters since start or the last reset. Updated on the hot
 * path without locks.
 */
public final class StatementShape {

	private final String shape;

	private final StatementKind kind;

	private final LongAdder count = new LongAdder();

	private final LongAdder totalNanos = new LongAdder();

	private final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);

	private volatile boolean retired;

	StatementShape(String shape, StatementKind kind) {
		this.shape = shape;
		this.kind = kind;
	}

	public String shape() {
		return this.shape;
	}

	public StatementKind kind() {
		return this.kind;
	}

	void record(long elapsedNanos) {
		this.count.increment();
		this.totalNanos.add(elapsedNanos);
		this.maxNanos.accumulate(elapsedNanos);
	}

	long count() {
		return this.count.sum();
	}

	/**
	 * Whether this shape was evicted or reset, so cached references must look it up
	 * again.
	 */
	boolean isRetired() {
		return this.retired;
	}

	void retire() {
		this.retired = true;
	}

	ShapeSummary summary() {
		long n = this.count.sum();
		double mean = (n > 0) ? this.totalNanos.sum() / (double) n / 1_000_000.0 : 0.0;
		return new ShapeSummary(this.shape, this.kind, n, mean, this.maxNanos.get() / 1_000_000.0);
	}

	/**
	 * Counters of one shape as shown in {@code topQueries}.
	 *
	 * @param query the statement shape
	 * @param kind what the statement does
	 * @param count executions
	 * @param meanTime mean elapsed time in milliseconds
	 * @param maxTime longest elapsed time in milliseconds
	 */
	public record ShapeSummary(String query, StatementKind kind, long count, double meanTime, double maxTime) {

	}

}
