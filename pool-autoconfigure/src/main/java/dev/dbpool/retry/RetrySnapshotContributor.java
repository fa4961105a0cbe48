package dev.dbpool.retry;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.dbpool.common.DatabaseSnapshotContributor;
import org.jspecify.annotations.Nullable;

/**
 * The {@code retry} section of {@code /metrics/database}: totals since startup and the
 * state of the retry budget.
 */
public final class RetrySnapshotContributor implements DatabaseSnapshotContributor {

	/** Name of the section. */
	public static final String SECTION = "retry";

	private final RetryStatistics statistics;

	private final @Nullable RetryBudget budget;

	private final boolean enabled;

	/**
	 * Create the contributor.
	 * @param statistics the retry totals
	 * @param budget the retry budget, or {@code null} when it is disabled
	 * @param enabled whether retry is switched on
	 */
	public RetrySnapshotContributor(RetryStatistics statistics, @Nullable RetryBudget budget, boolean enabled) {
		this.statistics = statistics;
		this.budget = budget;
		this.enabled = enabled;
	}

	@Override
	public Object snapshot() {
		Map<String, Object> section = new LinkedHashMap<>();
		section.put("enabled", this.enabled);
		section.put("retries", this.statistics.retries());
		section.put("successesAfterRetry", this.statistics.successesAfterRetry());
		section.put("exhausted", this.statistics.exhausted());
		section.put("budgetRejections", this.statistics.budgetRejections());
		section.put("commitOutcomeUnknown", this.statistics.commitOutcomeUnknown());
		section.put("commitOutcomesResolved", this.statistics.commitOutcomesResolved());
		section.put("retriesBySqlState", this.statistics.retriesBySqlState());
		Map<String, Object> budgetSection = new LinkedHashMap<>();
		RetryBudget budget = this.budget;
		budgetSection.put("enabled", budget != null);
		if (budget != null) {
			budgetSection.put("callsInWindow", budget.callsInWindow());
			budgetSection.put("retriesInWindow", budget.retriesInWindow());
			budgetSection.put("allowedInWindow", budget.allowedInWindow());
		}
		section.put("budget", budgetSection);
		return section;
	}

	@Override
	public String section() {
		return SECTION;
	}

	/** Counts only: shown on the application port too. */
	@Override
	public Visibility visibility() {
		return Visibility.PUBLIC;
	}

}
