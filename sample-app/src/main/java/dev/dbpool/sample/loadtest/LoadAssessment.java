package dev.dbpool.sample.loadtest;

import java.util.ArrayList;
import java.util.List;

import dev.dbpool.sample.loadtest.LoadTestReport.Assessment;
import dev.dbpool.sample.loadtest.LoadTestReport.Criterion;
import dev.dbpool.sample.loadtest.LoadTestReport.Errors;
import dev.dbpool.sample.loadtest.LoadTestReport.Latency;
import dev.dbpool.sample.loadtest.LoadTestReport.Performance;

/**
 * The seed's success criteria: success rate above 99%, connection acquisition p95 below
 * 1000 ms, query execution p95 below 500 ms, error rate below 1%, and no pool timeouts. A
 * run that completed nothing fails.
 */
public final class LoadAssessment {

	static final String SUCCESS_RATE = "success rate > 99%";

	static final String ACQUISITION_P95 = "connection acquisition p95 < 1000 ms";

	static final String EXECUTION_P95 = "query execution p95 < 500 ms";

	static final String ERROR_RATE = "error rate < 1%";

	static final String NO_POOL_TIMEOUTS = "no pool timeouts";

	private LoadAssessment() {
	}

	public static Assessment assess(Performance performance, Latency acquisition, Latency execution, Errors errors) {
		long total = performance.totalQueries();
		// Decided on the counts, not on the rounded percentages shown.
		List<Criterion> criteria = List.of(
				new Criterion(SUCCESS_RATE, performance.successRate(),
						total > 0 && performance.successful() * 100 > total * 99),
				new Criterion(ACQUISITION_P95, acquisition.p95Ms(),
						acquisition.count() > 0 && acquisition.p95Ms() < 1000),
				new Criterion(EXECUTION_P95, execution.p95Ms(), execution.count() > 0 && execution.p95Ms() < 500),
				new Criterion(ERROR_RATE, errors.errorRate(), total > 0 && errors.total() * 100 < total),
				new Criterion(NO_POOL_TIMEOUTS, errors.poolTimeouts(), errors.poolTimeouts() == 0));
		List<String> failed = new ArrayList<>();
		for (Criterion criterion : criteria) {
			if (!criterion.passed()) {
				failed.add(criterion.name());
			}
		}
		boolean passed = failed.isEmpty();
		return new Assessment(passed ? "PASS" : "FAIL", passed, criteria, List.copyOf(failed));
	}

}
