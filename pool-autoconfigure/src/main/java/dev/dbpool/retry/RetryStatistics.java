package dev.dbpool.retry;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

/**
 * Running totals of the retry layer since startup, for the {@code retry} section of
 * {@code /metrics/database}.
 */
public final class RetryStatistics implements TransientRetryListener {

	/** Label used where a failure had no SQLSTATE. */
	public static final String NO_SQL_STATE = "none";

	private final LongAdder retries = new LongAdder();

	private final LongAdder successesAfterRetry = new LongAdder();

	private final LongAdder exhausted = new LongAdder();

	private final LongAdder budgetRejections = new LongAdder();

	private final LongAdder commitOutcomeUnknown = new LongAdder();

	private final Map<String, LongAdder> retriesBySqlState = new ConcurrentHashMap<>();

	private final Map<String, LongAdder> commitOutcomesResolved = new ConcurrentHashMap<>();

	@Override
	public void onCommitOutcomeResolved(String name, String outcome) {
		this.commitOutcomesResolved.computeIfAbsent(outcome, (key) -> new LongAdder()).increment();
	}

	/**
	 * Transactions whose connection broke at COMMIT, by what the server said of them
	 * (committed, aborted, unknown) or wrote-nothing.
	 * @return a sorted copy
	 */
	public Map<String, Long> commitOutcomesResolved() {
		Map<String, Long> copy = new TreeMap<>();
		this.commitOutcomesResolved.forEach((outcome, count) -> copy.put(outcome, count.sum()));
		return copy;
	}

	@Override
	public void onRetry(String name, @Nullable String sqlState, int retry, long delayMillis) {
		this.retries.increment();
		this.retriesBySqlState.computeIfAbsent(label(sqlState), (key) -> new LongAdder()).increment();
	}

	@Override
	public void onSuccessAfterRetry(String name, @Nullable String sqlState, int retries) {
		this.successesAfterRetry.increment();
	}

	@Override
	public void onExhausted(String name, @Nullable String sqlState, int attempts) {
		this.exhausted.increment();
	}

	@Override
	public void onBudgetRejected(String name, @Nullable String sqlState) {
		this.budgetRejections.increment();
	}

	@Override
	public void onCommitOutcomeUnknown(String name, @Nullable String sqlState) {
		this.commitOutcomeUnknown.increment();
	}

	public long retries() {
		return this.retries.sum();
	}

	public long successesAfterRetry() {
		return this.successesAfterRetry.sum();
	}

	public long exhausted() {
		return this.exhausted.sum();
	}

	public long budgetRejections() {
		return this.budgetRejections.sum();
	}

	public long commitOutcomeUnknown() {
		return this.commitOutcomeUnknown.sum();
	}

	/**
	 * Retries made so far by the SQLSTATE that caused them.
	 * @return a sorted copy
	 */
	public Map<String, Long> retriesBySqlState() {
		Map<String, Long> copy = new TreeMap<>();
		this.retriesBySqlState.forEach((state, count) -> copy.put(state, count.sum()));
		return copy;
	}

	static String label(@Nullable String sqlState) {
		return (sqlState != null) ? sqlState : NO_SQL_STATE;
	}

}
