package dev.dbpool.retry;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.dbpool.common.DbPoolMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer counters of the retry layer, tagged by the SQLSTATE of the failure
 * ({@value RetryStatistics#NO_SQL_STATE} when there was none). Only retryable SQLSTATEs
 * occur, so the tag has a handful of values: each counter is registered for every one of
 * them when bound, so that the series exist from startup and {@code increase()} sees the
 * first event.
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

	/**
	 * Every value of {@link #OUTCOME_TAG}, registered at startup so the series exist at
	 * 0.
	 */
	static final List<String> RESOLUTIONS = List.of("committed", "aborted", "unknown", "wrote-nothing");

	/** Tag holding the SQLSTATE. */
	public static final String SQL_STATE_TAG = DbPoolMeters.TAG_SQLSTATE;

	private static final String ATTEMPTS_DESCRIPTION = "Retries of operations that failed with a transient failure";

	private static final String SUCCESSES_DESCRIPTION = "Operations that succeeded after at least one retry";

	private static final String EXHAUSTED_DESCRIPTION = "Operations that still failed after their last attempt";

	private static final String BUDGET_REJECTIONS_DESCRIPTION = "Retries refused because the retry budget was spent";

	private static final String COMMIT_OUTCOME_UNKNOWN_DESCRIPTION = "Operations whose connection broke while COMMIT was in flight";

	private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

	private final Set<String> sqlStateTags;

	/** Counters registered up front for the default classifier's SQLSTATEs. */
	public RetryMetrics() {
		this(new TransientFailureClassifier().retryableSqlStates());
	}

	/**
	 * Counters registered up front for the given SQLSTATEs.
	 * @param retryableSqlStates the SQLSTATEs the retry layer retries, usually
	 * {@link TransientFailureClassifier#retryableSqlStates()}
	 */
	public RetryMetrics(Collection<String> retryableSqlStates) {
		Set<String> tags = new TreeSet<>(retryableSqlStates);
		tags.add(RetryStatistics.NO_SQL_STATE);
		this.sqlStateTags = Collections.unmodifiableSet(tags);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (String tag : this.sqlStateTags) {
			counter(registry, ATTEMPTS, ATTEMPTS_DESCRIPTION, tag);
			counter(registry, SUCCESSES, SUCCESSES_DESCRIPTION, tag);
			counter(registry, EXHAUSTED, EXHAUSTED_DESCRIPTION, tag);
			counter(registry, BUDGET_REJECTIONS, BUDGET_REJECTIONS_DESCRIPTION, tag);
			counter(registry, COMMIT_OUTCOME_UNKNOWN, COMMIT_OUTCOME_UNKNOWN_DESCRIPTION, tag);
		}
		for (String outcome : RESOLUTIONS) {
			resolutionCounter(registry, outcome);
		}
		this.registries.add(registry);
	}

	@Override
	public void onRetry(String name, @Nullable String sqlState, int retry, long delayMillis) {
		increment(ATTEMPTS, ATTEMPTS_DESCRIPTION, sqlState);
	}

	@Override
	public void onSuccessAfterRetry(String name, @Nullable String sqlState, int retries) {
		increment(SUCCESSES, SUCCESSES_DESCRIPTION, sqlState);
	}

	@Override
	public void onExhausted(String name, @Nullable String sqlState, int attempts) {
		increment(EXHAUSTED, EXHAUSTED_DESCRIPTION, sqlState);
	}

	@Override
	public void onBudgetRejected(String name, @Nullable String sqlState) {
		increment(BUDGET_REJECTIONS, BUDGET_REJECTIONS_DESCRIPTION, sqlState);
	}

	@Override
	public void onCommitOutcomeUnknown(String name, @Nullable String sqlState) {
		increment(COMMIT_OUTCOME_UNKNOWN, COMMIT_OUTCOME_UNKNOWN_DESCRIPTION, sqlState);
	}

	@Override
	public void onCommitOutcomeResolved(String name, String outcome) {
		for (MeterRegistry registry : this.registries) {
			resolutionCounter(registry, outcome).increment();
		}
	}

	private static Counter resolutionCounter(MeterRegistry registry, String outcome) {
		return Counter.builder(COMMIT_OUTCOME_RESOLVED)
			.description("Transactions whose connection broke at COMMIT, by what the server said of them")
			.tag(OUTCOME_TAG, outcome)
			.register(registry);
	}

	private void increment(String meter, String description, @Nullable String sqlState) {
		String tag = RetryStatistics.label(sqlState);
		for (MeterRegistry registry : this.registries) {
			counter(registry, meter, description, tag).increment();
		}
	}

	private static Counter counter(MeterRegistry registry, String meter, String description, String tag) {
		return Counter.builder(meter).description(description).tag(SQL_STATE_TAG, tag).register(registry);
	}

}
