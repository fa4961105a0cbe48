package dev.dbpool.sample.loadtest;

import java.util.Locale;

import dev.dbpool.sample.loadtest.LoadTestReport.Criterion;
import dev.dbpool.sample.loadtest.LoadTestReport.Latency;

/** The report as the seed prints it: same headings, same fields, same order. */
public final class LoadTestReportText {

	private static final String RULE = "=".repeat(60);

	private LoadTestReportText() {
	}

	public static String render(LoadTestReport report) {
		StringBuilder text = new StringBuilder();
		var configuration = report.configuration();
		var performance = report.performance();
		var errors = report.errors();
		line(text, RULE);
		line(text, "Load Test Results");
		line(text, RULE);
		line(text, "");
		line(text, "Configuration:");
		line(text, "  Concurrent Connections: %d", configuration.concurrent());
		line(text, "  Test Duration: %ss", number(configuration.durationSeconds()));
		line(text, "  Ramp-up: %ss", number(configuration.rampUpSeconds()));
		line(text, "  Query Type: %s", configuration.queryType());
		line(text, "  Threads: %s", configuration.threads());
		if (configuration.holdTimeMs() > 0) {
			line(text, "  Hold Time: %sms", number(configuration.holdTimeMs()));
		}
		line(text, "  Pool: %d connections, pool timeout %s", configuration.connectionLimit(),
				millis(configuration.poolTimeoutMs()));
		line(text, "  Database: %s", configuration.database());
		line(text, "");
		line(text, "Performance:");
		line(text, "  Total Queries: %,d", performance.totalQueries());
		line(text, "  Successful: %,d (%.2f%%)", performance.successful(), performance.successRate());
		line(text, "  Failed: %,d", performance.failed());
		line(text, "  Throughput: %.2f queries/second", performance.throughput());
		line(text, "");
		latency(text, "Connection Acquisition:", report.connectionAcquisition());
		line(text, "");
		latency(text, "Query Execution:", report.queryExecution());
		line(text, "");
		line(text, "Errors:");
		line(text, "  Total: %,d", errors.total());
		line(text, "  Connection Errors: %,d", errors.connectionErrors());
		line(text, "  Pool Timeouts: %,d", errors.poolTimeouts());
		line(text, "  Query Errors: %,d", errors.queryErrors());
		line(text, "  Slow Queries (>%s): %,d", millis(configuration.slowQueryThresholdMs()), errors.slowQueries());
		errors.examples().forEach((kind, message) -> line(text, "  First of %s: %s", kind, message));
		line(text, "");
		line(text, "Concurrency:");
		line(text, "  Peak: %d", report.concurrency().peak());
		line(text, "  Final: %d", report.concurrency().finalActive());
		line(text, "");
		line(text, "Assessment:");
		line(text, "  Status: %s", report.assessment().status());
		if (!report.assessment().passed()) {
			line(text, "  Failed Criteria: %s", String.join(", ", report.assessment().failedCriteria()));
		}
		for (Criterion criterion : report.assessment().criteria()) {
			line(text, "  [%s] %s (actual %s)", criterion.passed() ? "ok" : "FAILED", criterion.name(),
					number(criterion.actual()));
		}
		return text.toString();
	}

	private static void latency(StringBuilder text, String heading, Latency latency) {
		line(text, heading);
		line(text, "  Average: %.2fms", latency.averageMs());
		line(text, "  P95: %.2fms", latency.p95Ms());
		line(text, "  P99: %.2fms", latency.p99Ms());
		line(text, "  Max: %.2fms", latency.maxMs());
	}

	private static String millis(double millis) {
		return (millis >= 1000 && millis % 1000 == 0) ? number(millis / 1000) + "s" : number(millis) + "ms";
	}

	private static String number(double value) {
		return (value == Math.rint(value)) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.2f", value);
	}

	private static void line(StringBuilder text, String format, Object... arguments) {
		text.append(String.format(Locale.ROOT, format, arguments)).append(System.lineSeparator());
	}

}
