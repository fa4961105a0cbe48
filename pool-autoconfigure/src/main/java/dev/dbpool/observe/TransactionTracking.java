package dev.dbpool.observe;

import java.time.Clock;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Per-transaction and per-request bookkeeping of one observed data source: where a
 * finished unit of work goes (repeated statements, transaction statistics, the listener's
 * histograms). Reached only when a transaction or a request ends.
 */
public final class TransactionTracking {

	private final int repeatedThreshold;

	private final boolean defaultAutoCommit;

	private final RepeatedStatements repeated;

	private final TransactionStatistics statistics;

	private QueryEventListener listener = QueryEventListener.NONE;

	/**
	 * Create the tracking of one data source.
	 * @param repeatedThreshold executions of one shape within one unit from which it is
	 * reported
	 * @param warnInterval shortest time between two warnings about one shape
	 * @param defaultAutoCommit the pool's autocommit mode, which every borrowed
	 * connection starts in
	 * @param clock source of timestamps
	 */
	public TransactionTracking(int repeatedThreshold, Duration warnInterval, boolean defaultAutoCommit, Clock clock) {
		if (repeatedThreshold < 2) {
			throw new IllegalArgumentException(
					"db.pool.observation.repeated-threshold must be at least 2, was " + repeatedThreshold);
		}
		this.repeatedThreshold = repeatedThreshold;
		this.defaultAutoCommit = defaultAutoCommit;
		this.repeated = new RepeatedStatements(repeatedThreshold, warnInterval, clock);
		this.statistics = new TransactionStatistics(clock);
	}

	void listener(QueryEventListener listener) {
		this.listener = listener;
	}

	int repeatedThreshold() {
		return this.repeatedThreshold;
	}

	ConnectionActivity newConnection() {
		return new ConnectionActivity(this, this.defaultAutoCommit, RequestActivity.current());
	}

	void transactionEnded(UnitCounts counts, int statements, long durationNanos, boolean committed,
			@Nullable RequestActivity request) {
		this.statistics.record(statements, durationNanos, committed, counts);
		this.listener.transactionEnded(statements, durationNanos, committed);
		if (counts.max() < this.repeatedThreshold && request == null) {
			return;
		}
		counts.forEach((shape, owner, count) -> {
			if (count >= owner.repeatedThreshold) {
				owner.repeated.record(shape, count, RepeatedStatements.Unit.TRANSACTION);
			}
			else if (request != null) {
				request.counts.add(shape, owner, count);
			}
		});
	}

	void requestEnded(StatementShape shape, int count) {
		if (count >= this.repeatedThreshold) {
			this.repeated.record(shape, count, RepeatedStatements.Unit.REQUEST);
		}
	}

	public RepeatedStatements repeatedStatements() {
		return this.repeated;
	}

	public TransactionStatistics transactions() {
		return this.statistics;
	}

	void reset() {
		this.repeated.reset();
		this.statistics.reset();
	}

}
