package dev.dbpool.sample.loadtest;

import java.util.Map;

import dev.dbpool.sample.loadtest.LoadTestReport.Assessment;
import dev.dbpool.sample.loadtest.LoadTestReport.Errors;
import dev.dbpool.sample.loadtest.LoadTestReport.Latency;
import dev.dbpool.sample.loadtest.LoadTestReport.Performance;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoadAssessmentTests {

	private static final Latency FAST = new Latency(1000, 1, 5, 8, 20);

	@Test
	void healthyRunPasses() {
		Assessment assessment = assess(10_000, 0, 0, FAST, FAST);

		assertThat(assessment.status()).isEqualTo("PASS");
		assertThat(assessment.passed()).isTrue();
		assertThat(assessment.failedCriteria()).isEmpty();
		assertThat(assessment.criteria()).hasSize(5).allMatch(LoadTestReport.Criterion::passed);
	}

	@Test
	void exactlyOnePercentFailuresFailsBothRateCriteria() {
		Assessment assessment = assess(9_900, 100, 0, FAST, FAST);

		assertThat(assessment.failedCriteria()).containsExactly(LoadAssessment.SUCCESS_RATE, LoadAssessment.ERROR_RATE);
	}

	@Test
	void justUnderOnePercentFailuresPasses() {
		assertThat(assess(99_001, 999, 0, FAST, FAST).passed()).isTrue();
	}

	@Test
	void onePoolTimeoutFails() {
		Assessment assessment = assess(100_000, 1, 1, FAST, FAST);

		assertThat(assessment.status()).isEqualTo("FAIL");
		assertThat(assessment.failedCriteria()).containsExactly(LoadAssessment.NO_POOL_TIMEOUTS);
	}

	@Test
	void slowAcquisitionAndExecutionFailTheirCriteria() {
		Assessment assessment = assess(1000, 0, 0, new Latency(1000, 400, 1000, 1200, 1500),
				new Latency(1000, 100, 500, 600, 700));

		assertThat(assessment.failedCriteria()).containsExactly(LoadAssessment.ACQUISITION_P95,
				LoadAssessment.EXECUTION_P95);
	}

	@Test
	void runThatCompletedNothingFails() {
		Latency none = new Latency(0, 0, 0, 0, 0);

		Assessment assessment = assess(0, 0, 0, none, none);

		assertThat(assessment.passed()).isFalse();
		assertThat(assessment.failedCriteria()).containsExactly(LoadAssessment.SUCCESS_RATE,
				LoadAssessment.ACQUISITION_P95, LoadAssessment.EXECUTION_P95, LoadAssessment.ERROR_RATE);
	}

	private static Assessment assess(long successful, long failed, long poolTimeouts, Latency acquisition,
			Latency execution) {
		long total = successful + failed;
		Performance performance = new Performance(total, successful, LoadTestRunner.percent(successful, total), failed,
				100, 10);
		Errors errors = new Errors(failed, 0, poolTimeouts, failed - poolTimeouts,
				LoadTestRunner.percent(failed, total), 0, Map.of());
		return LoadAssessment.assess(performance, acquisition, execution, errors);
	}

}
