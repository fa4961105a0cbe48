package dev.dbpool.sample.ops;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import dev.dbpool.retry.RetryMetrics;
import dev.dbpool.retry.TransactionRetry;
import dev.dbpool.sample.HttpJson;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The alert rules and the Grafana dashboard of {@code ops/} against a real Prometheus
 * scraping the running sample app: the rules load, every expression evaluates and finds
 * the app's series, and holding the pool above 80% makes the utilization alert fire.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf(value = "dev.dbpool.sample.ops.PrometheusServer#installed",
		disabledReason = "/usr/bin/prometheus and /usr/bin/promtool are not installed (Debian package 'prometheus')")
class PrometheusAlertRulesTests {

	private static final TestDatabase database = TestDatabase.shared().newDatabase("sample_ops");

	private static final int POOL_SIZE = 5;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("db.pool.url", database::jdbcUrl);
		registry.add("db.pool.username", database::username);
		registry.add("db.pool.password", database::password);
		registry.add("db.pool.connection-limit", () -> POOL_SIZE);
		registry.add("db.pool.retry.initial-delay", () -> "10ms");
	}

	@LocalServerPort
	int port;

	@Autowired
	DataSource dataSource;

	@Autowired
	JdbcTemplate jdbcTemplate;

	@Autowired
	TransactionRetry transactionRetry;

	@Autowired
	RetryMetrics retryMetrics;

	PrometheusServer prometheus;

	@BeforeAll
	void startPrometheus(@TempDir Path directory) throws Exception {
		this.prometheus = PrometheusServer.start(directory, "127.0.0.1:" + this.port, OpsFiles.rulesWithShortFor());
		await().atMost(Duration.ofSeconds(20)).until(this.prometheus::ready);
	}

	@AfterAll
	void stopPrometheus() throws InterruptedException {
		if (this.prometheus != null) {
			this.prometheus.close();
		}
	}

	@Test
	void promtoolAcceptsTheRuleFile() throws Exception {
		Process promtool = new ProcessBuilder(PrometheusServer.PROMTOOL.toString(), "check", "rules",
				OpsFiles.rules().toString())
			.redirectErrorStream(true)
			.start();
		String output = new String(promtool.getInputStream().readAllBytes());
		assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(promtool.exitValue()).as(output).isZero();
		assertThat(output).contains("SUCCESS: 9 rules found");
	}

	@Test
	void everyAlertAndDashboardExpressionFindsTheSampleAppsSeries() throws Exception {
		generateTraffic();
		Map<String, String> expressions = new LinkedHashMap<>();
		OpsFiles.alertExpressions().forEach((alert, expression) -> {
			expressions.put("alert " + alert, expression);
			expressions.put("alert " + alert + " signal", OpsFiles.signalOf(expression));
		});
		List<String> dashboard = OpsFiles.dashboardExpressions();
		for (int i = 0; i < dashboard.size(); i++) {
			expressions.put("dashboard expression " + i, dashboard.get(i));
		}
		assertThat(expressions.values()).allSatisfy((expression) -> assertThat(expression).doesNotContain("$"));

		// Every expression is valid PromQL; all but the thresholded alert expressions
		// (empty while nothing is wrong) return series once the scrapes have seen the
		// traffic.
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
			List<String> empty = new ArrayList<>();
			expressions.forEach((name, expression) -> {
				JsonNode result = this.prometheus.query(expression);
				boolean thresholded = name.startsWith("alert ") && !name.endsWith(" signal");
				if (!thresholded && result.isEmpty()) {
					empty.add(name + ": " + expression);
				}
			});
			assertThat(empty).as("expressions without series").isEmpty();
		});
		JsonNode up = this.prometheus.query("db_pool_database_up");
		assertThat(up.get(0).path("metric").path("job").asString()).isEqualTo("dbpool-sample");
		assertThat(up.get(0).path("metric").path("application").asString()).isEqualTo("dbpool-sample");
		assertThat(up.get(0).path("value").get(1).asString()).isEqualTo("1");
	}

	@Test
	void holdingThePoolAbove80PercentFiresTheUtilizationAlert() throws Exception {
		assertThat(alertState("DbPoolHighUtilization")).isEqualTo("inactive");
		List<Connection> held = new ArrayList<>();
		try {
			// 5 of 5 connections: 100% > 80%.
			for (int i = 0; i < POOL_SIZE; i++) {
				held.add(this.dataSource.getConnection());
			}
			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(500))
				.untilAsserted(() -> assertThat(alertState("DbPoolHighUtilization")).as(this.prometheus::logTail)
					.isEqualTo("firing"));
			JsonNode alert = alert("DbPoolHighUtilization");
			assertThat(alert.path("labels").path("severity").asString()).isEqualTo("warning");
			assertThat(alert.path("labels").path("pool").asString()).isEqualTo("dbpool-sample");
			assertThat(alert.path("annotations").path("summary").asString())
				.isEqualTo("Connection pool dbpool-sample on 127.0.0.1:" + this.port + " is 100% utilized");
		}
		finally {
			for (Connection connection : held) {
				connection.close();
			}
		}
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> assertThat(alertState("DbPoolHighUtilization")).isEqualTo("inactive"));
	}

	private String alertState(String name) {
		JsonNode alert = alert(name);
		return (alert != null) ? alert.path("state").asString() : "inactive";
	}

	private JsonNode alert(String name) {
		for (JsonNode alert : this.prometheus.alerts()) {
			if (name.equals(alert.path("labels").path("alertname").asString())) {
				return alert;
			}
		}
		return null;
	}

	/**
	 * Statements of every outcome, so that the lazily registered meters (errors by
	 * SQLSTATE class, retry counters) exist.
	 */
	private void generateTraffic() throws Exception {
		HttpJson http = new HttpJson(this.port);
		for (int i = 0; i < 20; i++) {
			assertThat(http.get("/api/orders").status()).isEqualTo(200);
			assertThat(http.get("/api/retailers").status()).isEqualTo(200);
		}
		assertThatThrownBy(() -> this.jdbcTemplate.queryForObject("SELECT 1 / 0", Integer.class))
			.isInstanceOf(DataAccessException.class);
		// A real serialization failure from PostgreSQL: retried, then exhausted.
		assertThatThrownBy(() -> this.transactionRetry.idempotent()
			.withMaxAttempts(2)
			.run(() -> this.jdbcTemplate.execute("DO $$ BEGIN RAISE EXCEPTION SQLSTATE '40001'; END $$")))
			.isInstanceOf(DataAccessException.class);
		AtomicInteger attempts = new AtomicInteger();
		this.transactionRetry.idempotent().withMaxAttempts(3).run(() -> {
			if (attempts.incrementAndGet() == 1) {
				this.jdbcTemplate.execute("DO $$ BEGIN RAISE EXCEPTION SQLSTATE '40001'; END $$");
			}
		});
		assertThat(attempts).hasValue(2);
		// A spent retry budget and a connection lost during COMMIT cannot be provoked
		// safely here; their counters are fed through the retry layer's listener.
		this.retryMetrics.onBudgetRejected("ops-test", "40001");
		this.retryMetrics.onCommitOutcomeUnknown("ops-test", "08006");
	}

}
