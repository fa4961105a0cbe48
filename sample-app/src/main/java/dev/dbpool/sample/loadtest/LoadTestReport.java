package dev.dbpool.sample.loadtest;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.HdrHistogram.Histogram;

/**
 * The seed's load-test report, as printed and as written to {@code --report-file}. Times
 * are milliseconds with two decimals; rates are percentages.
 *
 * @param configuration what ran
 * @param performance how much ran and how fast
 * @param connectionAcquisition time spent waiting for a connection from the pool
 * @param queryExecution time spent running the statements on the borrowed connection
 * @param errors failures by kind, and slow queries
 * @param concurrency how many units of work were in flight at most, and connections still
 * borrowed at the end
 * @param assessment the verdict against the seed's success criteria
 */
public record LoadTestReport(Configuration configuration, Performance performance, Latency connectionAcquisition,
		Latency queryExecution, Errors errors, Concurrency concurrency, Assessment assessment) {

	/**
	 * What ran.
	 *
	 * @param concurrent virtual users
	 * @param durationSeconds test duration
	 * @param rampUpSeconds time over which the users started
	 * @param queryType simple, complex or mixed
	 * @param holdTimeMs time each connection was kept after its query
	 * @param database JDBC URL without credentials or parameters
	 * @param connectionLimit pool size
	 * @param poolTimeoutMs longest wait for a connection
	 * @param slowQueryThresholdMs execution time from which a query counts as slow
	 * @param threads what the users ran on: platform or virtual threads
	 */
	public record Configuration(int concurrent, double durationSeconds, double rampUpSeconds, String queryType,
			double holdTimeMs, String database, int connectionLimit, long poolTimeoutMs, double slowQueryThresholdMs,
			String threads) {

	}

	/**
	 * How much ran and how fast.
	 *
	 * @param totalQueries units of work attempted (successful plus failed)
	 * @param successful units of work that completed
	 * @param successRate successful as a percentage of total
	 * @param failed units of work that failed, for any reason
	 * @param throughput successful units of work per second of elapsed time
	 * @param elapsedSeconds time from the first user's start to the last user's end
	 */
	public record Performance(long totalQueries, long successful, double successRate, long failed, double throughput,
			double elapsedSeconds) {

	}

	/**
	 * Distribution of one measured time.
	 *
	 * @param count number of measurements
	 * @param averageMs mean
	 * @param p95Ms 95th percentile
	 * @param p99Ms 99th percentile
	 * @param maxMs largest
	 */
	public record Latency(long count, double averageMs, double p95Ms, double p99Ms, double maxMs) {

		/** Summarise a histogram of microseconds. */
		public static Latency of(Histogram micros) {
			if (micros.getTotalCount() == 0) {
				return new Latency(0, 0, 0, 0, 0);
			}
			return new Latency(micros.getTotalCount(), millis(micros.getMean()),
					millis(micros.getValueAtPercentile(95)), millis(micros.getValueAtPercentile(99)),
					millis(micros.getMaxValue()));
		}

		private static double millis(double micros) {
			return round(micros / 1000.0);
		}

	}

	/**
	 * Failures by kind, and slow queries (which are not failures).
	 *
	 * @param total all failures
	 * @param connectionErrors no connection: database down, login refused, pool closed
	 * @param poolTimeouts no free connection within the pool timeout
	 * @param queryErrors statements that failed on a borrowed connection
	 * @param errorRate failures as a percentage of total queries
	 * @param slowQueries successful queries at or above the slow-query threshold
	 * @param examples the first message of each kind that occurred
	 */
	public record Errors(long total, long connectionErrors, long poolTimeouts, long queryErrors, double errorRate,
			long slowQueries, Map<String, String> examples) {

	}

	/**
	 * In-flight work.
	 *
	 * @param peak most units of work in flight at once (waiting for or holding a
	 * connection)
	 * @param finalActive connections still borrowed from the pool after every user
	 * stopped; anything but 0 is a leak
	 */
	public record Concurrency(int peak, @JsonProperty("final") int finalActive) {

	}

	/**
	 * The verdict.
	 *
	 * @param status PASS or FAIL
	 * @param passed whether every criterion passed
	 * @param criteria every criterion with its actual value
	 * @param failedCriteria the names of the criteria that failed
	 */
	public record Assessment(String status, boolean passed, List<Criterion> criteria, List<String> failedCriteria) {

	}

	/**
	 * One success criterion.
	 *
	 * @param name what is required, e.g. {@code success rate > 99%}
	 * @param actual the measured value, in the criterion's unit
	 * @param passed whether it held
	 */
	public record Criterion(String name, double actual, boolean passed) {

	}

	static double round(double value) {
		return Math.round(value * 100.0) / 100.0;
	}

}
