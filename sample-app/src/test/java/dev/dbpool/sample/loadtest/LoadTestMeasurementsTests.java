package dev.dbpool.sample.loadtest;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeUnit;

import dev.dbpool.sample.loadtest.LoadTestReport.Latency;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LoadTestMeasurementsTests {

	private final LoadTestMeasurements measurements = new LoadTestMeasurements(TimeUnit.MILLISECONDS.toNanos(100));

	@Test
	void acquisitionAndExecutionAreSummarisedApart() {
		for (int i = 1; i <= 100; i++) {
			this.measurements.connectionAcquired(TimeUnit.MILLISECONDS.toNanos(i));
			this.measurements.querySucceeded(TimeUnit.MICROSECONDS.toNanos(500));
		}
		this.measurements.drain();

		Latency acquisition = Latency.of(this.measurements.acquisitionTotal());
		Latency execution = Latency.of(this.measurements.executionTotal());

		assertThat(acquisition.count()).isEqualTo(100);
		assertThat(acquisition.averageMs()).isCloseTo(50.5, within(0.1));
		assertThat(acquisition.p95Ms()).isCloseTo(95, within(0.1));
		assertThat(acquisition.p99Ms()).isCloseTo(99, within(0.1));
		assertThat(acquisition.maxMs()).isCloseTo(100, within(0.1));
		assertThat(execution.p95Ms()).isEqualTo(0.5);
		assertThat(this.measurements.successful()).isEqualTo(100);
	}

	@Test
	void drainKeepsTheTotalsAndReportsTheInterval() {
		this.measurements.connectionAcquired(TimeUnit.MILLISECONDS.toNanos(10));
		this.measurements.drain();
		this.measurements.connectionAcquired(TimeUnit.MILLISECONDS.toNanos(30));

		LoadTestMeasurements.Interval interval = this.measurements.drain();

		assertThat(interval.acquisitionP95Millis()).isCloseTo(30, within(0.1));
		assertThat(this.measurements.acquisitionTotal().getTotalCount()).isEqualTo(2);
	}

	@Test
	void queriesAtTheThresholdCountAsSlow() {
		this.measurements.querySucceeded(TimeUnit.MILLISECONDS.toNanos(99));
		this.measurements.querySucceeded(TimeUnit.MILLISECONDS.toNanos(100));
		this.measurements.querySucceeded(TimeUnit.SECONDS.toNanos(2));

		assertThat(this.measurements.slowQueries()).isEqualTo(2);
	}

	@Test
	void failuresAreCountedByKindWithTheFirstMessage() {
		this.measurements.connectionFailed(1, FailureKind.POOL_TIMEOUT, new SQLException("first timeout"));
		this.measurements.connectionFailed(1, FailureKind.POOL_TIMEOUT, new SQLException("second timeout"));
		this.measurements.queryFailed(1, new SQLException("syntax"));

		assertThat(this.measurements.failures(FailureKind.POOL_TIMEOUT)).isEqualTo(2);
		assertThat(this.measurements.failures(FailureKind.QUERY_ERROR)).isEqualTo(1);
		assertThat(this.measurements.failures(FailureKind.CONNECTION_ERROR)).isZero();
		assertThat(this.measurements.failures()).isEqualTo(3);
		assertThat(this.measurements.firstFailure(FailureKind.POOL_TIMEOUT)).isEqualTo("first timeout");
		assertThat(this.measurements.acquisitionTotal().getTotalCount()).isZero();
	}

	@Test
	void peakInFlightIsKept() {
		this.measurements.started();
		this.measurements.started();
		this.measurements.finished();
		this.measurements.started();
		this.measurements.finished();
		this.measurements.finished();

		assertThat(this.measurements.peakInFlight()).isEqualTo(2);
		assertThat(this.measurements.inFlight()).isZero();
	}

	@Test
	void hikariTimeoutWithoutCauseIsAPoolTimeout() {
		SQLException timeout = new SQLTransientConnectionException("pool - Connection is not available");

		assertThat(FailureKind.ofAcquisition(timeout)).isEqualTo(FailureKind.POOL_TIMEOUT);
	}

	@Test
	void hikariTimeoutCausedByAConnectFailureIsAConnectionError() {
		SQLException refused = new SQLException("Connection refused", "08001");
		SQLException timeout = new SQLTransientConnectionException("pool - Connection is not available", "08001",
				refused);

		assertThat(FailureKind.ofAcquisition(timeout)).isEqualTo(FailureKind.CONNECTION_ERROR);
	}

	@Test
	void otherAcquisitionFailuresAreConnectionErrors() {
		assertThat(FailureKind.ofAcquisition(new SQLException("pool has been closed")))
			.isEqualTo(FailureKind.CONNECTION_ERROR);
	}

	@Test
	void failureExampleKeepsTheFirstLineOnlySoRowValuesInTheServerDetailStayOut() {
		SQLException duplicate = new SQLException(
				"ERROR: duplicate key value violates unique constraint \"orders_ref\"\n"
						+ "  Detail: Key (reference)=(orders@acme.example) already exists.",
				"23505");

		this.measurements.queryFailed(1_000, duplicate);

		assertThat(this.measurements.firstFailure(FailureKind.QUERY_ERROR))
			.isEqualTo("ERROR: duplicate key value violates unique constraint \"orders_ref\"");
		assertThat(LoadTestMeasurements.example(new SQLException("x".repeat(5000))))
			.hasSize(LoadTestMeasurements.MAX_EXAMPLE_LENGTH + 3);
	}

}
