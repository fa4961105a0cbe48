package dev.dbpool.endpoint;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.dbpool.common.DatabaseSnapshotContributor;
import dev.dbpool.config.DbPoolSettings.Source;
import dev.dbpool.config.DbPoolSettings;
import dev.dbpool.config.PoolSettingTable;
import dev.dbpool.observe.ObservedDataSource;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** The snapshot endpoints and the Prometheus scrape of a running web application. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"management.endpoints.web.exposure.include=database,prometheus,health", "db.pool.slow-query.threshold=200ms" })
class DatabaseEndpointWebTest {

	private static final String PROMTOOL = "/usr/bin/promtool";

	private static final String SETTINGS_PASSWORD = "settings-password-never-shown";

	private static final String INTERNAL_URL = "jdbc:postgresql://db-internal.example:5432/orders";

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	@Autowired
	private DataSource dataSource;

	@Autowired
	private DatabaseSnapshotProvider snapshots;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabase database = TestDatabase.shared();
		registry.add("spring.datasource.url", database::jdbcUrl);
		registry.add("spring.datasource.username", database::username);
		registry.add("spring.datasource.password", database::password);
	}

	@BeforeEach
	void resetStatistics() {
		this.snapshots.reset();
	}

	@Test
	void metricsDatabaseShowsTheSeedsDocumentWithoutServerInternals() throws Exception {
		runQueries();
		HttpResponse<String> response = send("GET", "/metrics/database");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
		TestDatabase database = TestDatabase.shared();
		assertThat(response.body()).doesNotContain(SETTINGS_PASSWORD)
			.doesNotContain(database.password())
			.doesNotContain(INTERNAL_URL)
			.doesNotContain("app_user")
			.doesNotContain("orders@acme.example");
		JsonNode snapshot = this.json.readTree(response.body());
		// Repeated statements and transactions show shapes, as topQueries does (issue
		// 18).
		assertThat(names(snapshot)).containsExactlyInAnyOrder("pool", "queries", "slowQueries", "topQueries",
				"repeatedStatements", "transactions", "config", "retry", "publicWidgets", "timestamp");
		assertThat(names(snapshot)).containsSubsequence("pool", "queries", "slowQueries", "topQueries", "config",
				"timestamp");
		assertThat(names(snapshot.get("pool"))).containsExactly("active", "idle", "total", "limit", "utilization",
				"waiting");
		JsonNode queries = snapshot.get("queries");
		assertThat(names(queries)).containsExactly("queriesExecuted", "slowQueries", "queryErrors", "averageQueryTime",
				"slowQueryRate", "uptimeMs", "lastResetTime");
		assertThat(queries.get("queriesExecuted").asLong()).isEqualTo(12);
		assertThat(queries.get("slowQueries").asLong()).isEqualTo(1);
		assertThat(queries.get("queryErrors").asLong()).isEqualTo(1);
		JsonNode slow = snapshot.get("slowQueries").get(0);
		assertThat(slow.get("query").asString()).isEqualTo("SELECT pg_sleep(?) WHERE ? <> ?");
		assertThat(slow.get("duration").asLong()).isGreaterThanOrEqualTo(250);
		assertThat(snapshot.get("topQueries").get(0).get("query").asString()).isEqualTo("SELECT ? + ?");
		assertThat(snapshot.get("topQueries").get(0).get("count").asLong()).isEqualTo(10);
		assertThat(names(snapshot.get("topQueries").get(0))).contains("query", "count", "meanTime", "maxTime");
		JsonNode config = snapshot.get("config");
		assertThat(names(config)).containsExactly("connectionLimit", "poolTimeout", "queryTimeout",
				"slowQueryThreshold", "sources");
		assertThat(config.get("connectionLimit").asInt()).isEqualTo(7);
		assertThat(config.get("poolTimeout").asLong()).isEqualTo(20);
		assertThat(config.get("slowQueryThreshold").asLong()).isEqualTo(200);
		assertThat(config.get("sources").get("connectionLimit").asString()).isEqualTo("property");
		assertThat(names(config.get("sources"))).doesNotContain("jdbcUrl", "username");
		assertThat(snapshot.get("publicWidgets").get("widgets").asInt()).isEqualTo(3);
	}

	@Test
	void actuatorDatabaseServesTheCompleteSnapshot() throws Exception {
		runQueries();
		HttpResponse<String> response = send("GET", "/actuator/database");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).doesNotContain(SETTINGS_PASSWORD)
			.doesNotContain(TestDatabase.shared().password())
			.doesNotContain("orders@acme.example");
		JsonNode snapshot = this.json.readTree(response.body());
		assertThat(names(snapshot)).containsSubsequence("pool", "queries", "slowQueries", "topQueries", "config",
				"server", "timestamp");
		// Internal sections contributed by the capabilities this application runs.
		assertThat(names(snapshot)).contains("internalWidgets", "publicWidgets", "retry", "leaks", "connectionBudget");
		assertThat(snapshot.get("queries").get("queriesExecuted").asLong()).isEqualTo(12);
		assertThat(snapshot.get("config").get("jdbcUrl").asString()).isEqualTo(INTERNAL_URL);
		assertThat(snapshot.get("config").get("username").asString()).isEqualTo("app_user");
		assertThat(snapshot.get("config").has("password")).isFalse();
		assertThat(snapshot.get("server").get("status").asString()).isEqualTo("ok");
		assertThat(snapshot.get("server").get("maxConnections").asInt()).isPositive();
		assertThat(snapshot.get("server").get("databaseSizeBytes").asLong()).isPositive();
	}

	@Test
	void nothingOnTheApplicationPortOrInActuatorResetsByDefault() throws Exception {
		runQueries();
		for (String[] attempt : new String[][] { { "POST", "/metrics/database" }, { "DELETE", "/metrics/database" },
				{ "PUT", "/metrics/database" }, { "POST", "/actuator/database" },
				{ "DELETE", "/actuator/database" } }) {
			HttpResponse<String> response = send(attempt[0], attempt[1]);
			assertThat(response.statusCode()).as(attempt[0] + " " + attempt[1]).isEqualTo(405);
			assertThat(response.body()).as(attempt[0] + " " + attempt[1]).doesNotContain("\"reset\"");
		}
		HttpResponse<String> crossOrigin = http(HttpRequest.newBuilder(uri("/metrics/database"))
			.header("Content-Type", "text/plain")
			.header("Origin", "https://attacker.example")
			.POST(HttpRequest.BodyPublishers.ofString("reset"))
			.build());
		assertThat(crossOrigin.statusCode()).isEqualTo(405);
		assertThat(queriesExecuted()).isEqualTo(12);
	}

	@Test
	void prometheusScrapeIsValidAndHasQueryMetricsNextToBootsPoolMetrics() throws Exception {
		runQueries();
		HttpResponse<String> response = http(HttpRequest.newBuilder(uri("/actuator/prometheus"))
			.header("Accept", "text/plain;version=0.0.4")
			.GET()
			.build());
		assertThat(response.statusCode()).isEqualTo(200);
		String scrape = response.body();
		Map<String, Double> samples = PrometheusTextFormat.check(scrape);
		assertThat(samples.keySet()).anyMatch((series) -> series.startsWith("hikaricp_connections_active{"))
			.anyMatch((series) -> series.startsWith("jdbc_connections_max{"))
			.anyMatch((series) -> series.startsWith("db_pool_query_duration_seconds_bucket{")
					&& series.contains("kind=select") && series.contains("outcome=success"))
			.anyMatch((series) -> series.startsWith("db_pool_query_slow_total{"))
			.anyMatch((series) -> series.startsWith("db_pool_query_errors_total{")
					&& series.contains("sqlstate_class=42"))
			.anyMatch((series) -> series.startsWith("db_pool_utilization{"))
			.noneMatch((series) -> series.startsWith("db_pool") && series.contains("pg_sleep"));
		assertThat(scrape.lines().filter((line) -> line.startsWith("# TYPE hikaricp_connections_active "))).hasSize(1);
		promtoolCheck(scrape);
	}

	private void promtoolCheck(String scrape) throws IOException, InterruptedException {
		Assumptions.assumeTrue(Files.isExecutable(Path.of(PROMTOOL)), PROMTOOL
				+ " is not installed (Debian package 'prometheus'), so the scrape was checked by the Java parser only");
		Process process = new ProcessBuilder(PROMTOOL, "check", "metrics").redirectErrorStream(true).start();
		process.getOutputStream().write(scrape.getBytes(StandardCharsets.UTF_8));
		process.getOutputStream().close();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			fail("promtool did not finish");
		}
		// Parse errors fail whatever the metric; lint findings only fail for our own
		// meters.
		assertThat(output).doesNotContain("error while linting");
		assertThat(output.lines().filter((line) -> line.startsWith("db_pool"))).as(output).isEmpty();
		assertThat(process.exitValue()).as(output).isIn(0, 3);
	}

	private long queriesExecuted() throws Exception {
		return this.json.readTree(send("GET", "/metrics/database").body())
			.get("queries")
			.get("queriesExecuted")
			.asLong();
	}

	private void runQueries() throws SQLException {
		assertThat(this.dataSource).isInstanceOf(ObservedDataSource.class);
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement()) {
			for (int i = 0; i < 10; i++) {
				statement.executeQuery("SELECT " + i + " + 1").close();
			}
			statement.executeQuery("SELECT pg_sleep(0.25) WHERE 'orders@acme.example' <> ''").close();
			try {
				statement.executeQuery("SELECT * FROM missing_table").close();
			}
			catch (SQLException expected) {
				assertThat(expected.getSQLState()).isEqualTo("42P01");
			}
		}
	}

	private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
		return http(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody()).build());
	}

	private HttpResponse<String> http(HttpRequest request) throws IOException, InterruptedException {
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private static java.util.List<String> names(JsonNode node) {
		return node.propertyNames().stream().toList();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		DbPoolSettings dbPoolSettings() {
			// The password setting is an input only: the settings never carry it, even
			// when given one.
			return DbPoolSettings.builder()
				.put(PoolSettingTable.CONNECTION_LIMIT, 7, Source.PROPERTY)
				.put(PoolSettingTable.POOL_TIMEOUT, Duration.ofSeconds(20), Source.DEFAULT)
				.put(PoolSettingTable.QUERY_TIMEOUT, Duration.ofSeconds(10), Source.ENVIRONMENT)
				.put(PoolSettingTable.SLOW_QUERY_THRESHOLD, Duration.ofMillis(200), Source.URL)
				.put(PoolSettingTable.PASSWORD, SETTINGS_PASSWORD, Source.PROPERTY)
				.put(PoolSettingTable.URL, INTERNAL_URL, Source.URL)
				.put(PoolSettingTable.USERNAME, "app_user", Source.URL)
				.build();
		}

		@Bean
		DatabaseSnapshotContributor internalSnapshot() {
			return new DatabaseSnapshotContributor() {

				@Override
				public Object snapshot() {
					return Map.of("widgets", 4);
				}

				@Override
				public String section() {
					return "internalWidgets";
				}

			};
		}

		@Bean
		DatabaseSnapshotContributor publicSnapshot() {
			return new DatabaseSnapshotContributor() {

				@Override
				public Object snapshot() {
					return Map.of("widgets", 3);
				}

				@Override
				public String section() {
					return "publicWidgets";
				}

				@Override
				public Visibility visibility() {
					return Visibility.PUBLIC;
				}

			};
		}

	}

}
