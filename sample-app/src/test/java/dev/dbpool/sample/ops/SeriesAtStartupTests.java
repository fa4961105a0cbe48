package dev.dbpool.sample.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.dbpool.metrics.QueryMetrics;
import dev.dbpool.retry.RetryStatistics;
import dev.dbpool.retry.TransientFailureClassifier;
import dev.dbpool.sample.HttpJson;
import dev.dbpool.sample.ops.OpsFiles.SeriesSelector;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Right after startup, before any request, failed statement or retry, the Prometheus
 * scrape already holds every series the Grafana dashboard and the alert rules select
 * (label matchers included), the error and retry counters for each of their known tag
 * values, and {@code /metrics/database} every field the sample's {@code /dashboard} page
 * reads. A series that appears with its first event shows "No data" until then and hides
 * that event from {@code increase()}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SeriesAtStartupTests {

	private static final TestDatabase database = TestDatabase.shared().newDatabase("sample_series");

	/** {@code name{labels} value}, one sample of the text exposition format. */
	private static final Pattern SAMPLE = Pattern
		.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s+(\\S+)(?:\\s+\\S+)?$");

	private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("db.pool.url", database::jdbcUrl);
		registry.add("db.pool.username", database::username);
		registry.add("db.pool.password", database::password);
	}

	@LocalServerPort
	int port;

	@Test
	void everySeriesTheDashboardAndTheAlertRulesSelectExistsBeforeAnyTraffic() throws Exception {
		List<Series> scraped = scrape();
		Map<String, String> expressions = new LinkedHashMap<>();
		OpsFiles.alertExpressions().forEach((alert, expression) -> expressions.put("alert " + alert, expression));
		List<String> dashboard = OpsFiles.dashboardExpressions();
		for (int i = 0; i < dashboard.size(); i++) {
			expressions.put("dashboard expression " + i, dashboard.get(i));
		}
		List<String> missing = new ArrayList<>();
		int selectors = 0;
		for (Map.Entry<String, String> expression : expressions.entrySet()) {
			for (SeriesSelector selector : OpsFiles.selectorsOf(expression.getValue())) {
				selectors++;
				if (scraped.stream().noneMatch((series) -> selector.matches(series.name(), series.labels()))) {
					missing.add(expression.getKey() + ": " + selector);
				}
			}
		}
		// Every expression selects at least one series: the extraction itself works.
		assertThat(selectors).isGreaterThanOrEqualTo(expressions.size());
		assertThat(missing).as("selectors without a series right after startup").isEmpty();
	}

	@Test
	void errorAndRetryCountersExistForEveryKnownTagValueAtZero() throws Exception {
		List<Series> scraped = scrape();
		for (String sqlStateClass : QueryMetrics.SQLSTATE_CLASSES) {
			assertThat(value(scraped, "db_pool_query_errors_total", "sqlstate_class", sqlStateClass))
				.as("db_pool_query_errors_total{sqlstate_class=\"%s\"}", sqlStateClass)
				.isZero();
		}
		List<String> sqlStates = new ArrayList<>(new TransientFailureClassifier().retryableSqlStates());
		sqlStates.add(RetryStatistics.NO_SQL_STATE);
		for (String counter : List.of("db_pool_retry_attempts_total", "db_pool_retry_successes_total",
				"db_pool_retry_exhausted_total", "db_pool_retry_budget_rejections_total",
				"db_pool_retry_commit_outcome_unknown_total")) {
			for (String sqlState : sqlStates) {
				assertThat(value(scraped, counter, "sqlstate", sqlState)).as("%s{sqlstate=\"%s\"}", counter, sqlState)
					.isZero();
			}
		}
	}

	@Test
	void theDashboardPageFindsEveryFieldItReadsBeforeAnyTraffic() {
		HttpJson.Response response = new HttpJson(this.port).get("/metrics/database");
		assertThat(response.status()).isEqualTo(200);
		JsonNode snapshot = response.body();
		List<String> fields = List.of("pool/active", "pool/idle", "pool/total", "pool/limit", "pool/waiting",
				"pool/utilization", "queries/queriesExecuted", "queries/averageQueryTime", "queries/slowQueries",
				"queries/slowQueryRate", "queries/queryErrors", "config/slowQueryThreshold", "slowQueries",
				"retry/retries", "retry/successesAfterRetry", "retry/exhausted", "retry/budgetRejections",
				"retry/retriesBySqlState");
		List<String> missing = fields.stream().filter((field) -> snapshot.at("/" + field).isMissingNode()).toList();
		assertThat(missing).as("fields of /metrics/database that dashboard.js reads").isEmpty();
		assertThat(snapshot.at("/queries/queryErrors").asLong()).isZero();
		assertThat(snapshot.at("/retry/retries").asLong()).isZero();
	}

	/** The sample's value, or -1 when the scrape has no such series. */
	private static double value(List<Series> scraped, String name, String label, String labelValue) {
		return scraped.stream()
			.filter((series) -> series.name().equals(name) && labelValue.equals(series.labels().get(label)))
			.mapToDouble(Series::value)
			.findFirst()
			.orElse(-1);
	}

	private List<Series> scrape() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/prometheus"))
				.timeout(Duration.ofSeconds(30))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		List<Series> series = new ArrayList<>();
		for (String line : response.body().split("\n")) {
			Matcher sample = SAMPLE.matcher(line);
			if (line.startsWith("#") || !sample.matches()) {
				continue;
			}
			Map<String, String> labels = new LinkedHashMap<>();
			if (sample.group(2) != null) {
				Matcher label = LABEL.matcher(sample.group(2));
				while (label.find()) {
					labels.put(label.group(1), label.group(2));
				}
			}
			series.add(new Series(sample.group(1), labels, Double.parseDouble(sample.group(3))));
		}
		return series;
	}

	/** One scraped sample. */
	private record Series(String name, Map<String, String> labels, double value) {

	}

}
