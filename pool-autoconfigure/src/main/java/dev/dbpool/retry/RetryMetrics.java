package dev.dbpool.retry;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.dbpool.common.DbPoolMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer counters of the retry layer, tagged by the SQLSTATE of the failure
 * ({@value RetryStatistics#NO_SQL_STATE} when there was none). Counters appear on the
 * first event of their kind and SQLSTATE; only retryable SQLSTATEs occur, so the tag has
 * a handful of values.
 */
public final class RetryMetrics implements TransientRetryListener, MeterBinder {

	/** Retries performed (attempts after the first). */
	public static final String ATTEMPTS = DbPoolMeters.RETRY_ATTEMPTS;

	/** Calls that succeeded after at least one retry. */
	public static final String SUCCESSES = DbPoolMeters.RETRY_SUCCESSES;

	/** Calls that failed with a retryable failure after their last attempt. */
	public static final String EXHAUSTED = DbPoolMeters.RETRY_EXHAUSTED;

	/** Retries refused because the retry budget was spent. */
	public static final String BUDGET_REJECTIONS = DbPoolMeters.RETRY_BUDGET_REJECTIONS;

	/** Calls that failed with CommitOutcomeUnknownException. */
	public static final String COMMIT_OUTCOME_UNKNOWN = DbPoolMeters.RETRY_COMMIT_OUTCOME_UNKNOWN;

	/** Transactions whose connection broke at COMMIT, by what the server said. */
	public static final String COMMIT_OUTCOME_RESOLVED = "db.pool.retry.commit.outcome.resolved";

	/** Tag holding a resolution: committed, aborted, unknown or wrote-nothing. */
	public static final String OUTCOME_TAG = "outcome";

	/** Tag holding the SQLSTATE. */
	public static final String SQL_STATE_TAG = DbPoolMeters.TAG_SQLSTATE;

	private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registries.add(registry);
	}

	@Override
	public void onRetry(String name, @Nullable String sqlState, int retry, long delayMillis) {
		increment(ATTEMPTS, "Retries of operations that failed with a transient failure", sqlState);
	}

	@Override
	public void onSuccessAfterRetry(String name, @Nullable String sqlState, int retries) {
		increment(SUCCESSES, "Operations that succeeded after at least one retry", sqlState);
	}

	@Override
	public void onExhausted(String name, @Nullable String sqlState, int attempts) {
		increment(EXHAUSTED, "Operations that still failed after their last attempt", sqlState);
	}

	@Override
	public void onBudgetRejected(String name, @Nullable String sqlState) {
		increment(BUDGET_REJECTIONS, "Retries refused because the retry budget was spent", sqlState);
	}

	@Override
	public void onCommitOutcomeUnknown(String name, @Nullable String sqlState) {
		increment(COMMIT_OUTCOME_UNKNOWN, "Operations whose connection broke while COMMIT was in flight", sqlState);
	}

	@Override
	public void onCommitOutcomeResolved(String name, String outcome) {
		for (MeterRegistry registry : this.registries) {
			Counter.builder(COMMIT_OUTCOME_RESOLVED)
				.description("Transactions whose connection broke at COMMIT, by what the server said of them")
				.tag(OUTCOME_TAG, outcome)
				.register(registry)
				.increment();
		}
	}

	private void increment(String meter, String description, @Nullable String sqlState) {
		String tag = RetryStatistics.label(sqlState);
		for (MeterRegistry registry : this.registries) {
			Counter.builder(meter).description(description).tag(SQL_STATE_TAG, tag).register(registry).increment();
		}
	}

}
