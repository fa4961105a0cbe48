package dev.dbpool.observe;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.endpoint.DatabaseSnapshotProvider;
import dev.dbpool.metrics.QueryMetrics;
import dev.dbpool.testsupport.TestDatabase;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Plans of slow statements, repeated statements per transaction and per web request,
 * transaction statistics and the server's pg_stat_statements view, in a running web
 * application against the real server.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=database", "db.pool.slow-query.threshold=150ms",
				"db.pool.connection-limit=3", "db.pool.endpoint.server-view-cache-time=0s",
				"logging.level.dev.dbpool.observe.SlowQueryLog=DEBUG" })
@ExtendWith(OutputCaptureExtension.class)
class QueryInsightWebTests {

	private static final TestDatabase database = TestDatabase.shared().newDatabase("insight");

	private static final int SECRET_ID = 424242;

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	@Autowired
	private DataSource dataSource;

	@Autowired
	private JdbcTemplate jdbcTemplate;

	@Autowired
	private TransactionTemplate transactionTemplate;

	@Autowired
	private MeterRegistry meterRegistry;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		database.execute("CREATE TABLE IF NOT EXISTS item (id int PRIMARY KEY, note text)",
				"INSERT INTO item SELECT n, 'note ' || n FROM generate_series(1, 50) n ON CONFLICT DO NOTHING",
				"INSERT INTO item VALUES (" + SECRET_ID + ", 'secret-" + SECRET_ID + "') ON CONFLICT DO NOTHING",
				"ANALYZE item", "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
		registry.add("db.pool.url", database::jdbcUrl);
		registry.add("db.pool.username", database::username);
		registry.add("db.pool.password", database::password);
	}

	@Autowired
	private DatabaseSnapshotProvider snapshots;

	@BeforeEach
	void reset() {
		this.snapshots.reset();
	}

	@Test
	void slowQueryEntryCarriesThePlanOfItsBoundParametersMasked(CapturedOutput output) throws Exception {
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection
					.prepareStatement("SELECT id, note, pg_sleep(0.2) FROM item WHERE note = ?")) {
			statement.setString(1, "secret-" + SECRET_ID);
			try (ResultSet rows = statement.executeQuery()) {
				assertThat(rows.next()).isTrue();
			}
		}
		JsonNode slow = awaitSlowQueryWithPlan("/metrics/database");
		String plan = slow.get("plan").asString();
		assertThat(plan).contains("Seq Scan on item").contains("Filter: (note = ?");
		assertThat(plan).doesNotContain(Integer.toString(SECRET_ID));
		JsonNode actuator = awaitSlowQueryWithPlan("/actuator/database");
		assertThat(actuator.get("plan").asString()).isEqualTo(plan);
		await(() -> output.getOut()
			.contains("Plan of slow query SELECT id, note, pg_sleep(?) FROM item WHERE note = ?"));
		assertThat(output.getOut()).doesNotContain("secret-" + SECRET_ID);
	}

	@Test
	void planCaptureStaysWithinTheConnectionLimitAndTriesAgainOnceAConnectionIsFree() throws Exception {
		HikariDataSource pool = DataSourceUnwrapper.unwrap(this.dataSource, HikariConfigMXBean.class,
				HikariDataSource.class);
		SlowQueryPlans plans = observer().plans();
		assertThat(plans).isNotNull();
		String shape = "UPDATE item SET note = note FROM pg_sleep(?) AS held WHERE id = ?";
		long skipped = plans.skipped();
		List<Connection> held = new ArrayList<>();
		try {
			for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
				held.add(this.dataSource.getConnection());
			}
			// Every connection of the pool is out, and the slow statement runs on one of
			// them inside its own open transaction: no connection is left for the plan.
			Connection connection = held.get(0);
			connection.setAutoCommit(false);
			slowUpdate(connection);
			await(() -> plans.skipped() > skipped);
			assertThat(plans.planOf(shape)).isNull();
			assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(pool.getMaximumPoolSize());
			connection.rollback();
			connection.setAutoCommit(true);
		}
		finally {
			for (Connection connection : held) {
				connection.close();
			}
		}
		// Nothing was cached: the next slow run gets its plan on a free connection.
		try (Connection connection = this.dataSource.getConnection()) {
			slowUpdate(connection);
		}
		await(() -> plans.planOf(shape) != null);
		assertThat(plans.planOf(shape)).contains("Update on item").contains("(id = ?)");
		assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(pool.getMaximumPoolSize());
	}

	private static void slowUpdate(Connection connection) throws Exception {
		try (PreparedStatement statement = connection
			.prepareStatement("UPDATE item SET note = note FROM pg_sleep(0.2) AS held WHERE id = ?")) {
			statement.setInt(1, 7);
			assertThat(statement.executeUpdate()).isEqualTo(1);
		}
	}

	@Test
	void transactionRunningOneShapeThirtyTimesIsReportedOnceAndCounted(CapturedOutput output) throws Exception {
		for (int transaction = 0; transaction < 2; transaction++) {
			this.transactionTemplate.executeWithoutResult((status) -> {
				for (int id = 1; id <= 30; id++) {
					this.jdbcTemplate.queryForObject("SELECT note FROM item WHERE id = ?", String.class, id);
				}
				this.jdbcTemplate.queryForObject("SELECT count(*) FROM item", Long.class);
			});
		}
		JsonNode snapshot = get("/metrics/database");
		JsonNode repeated = entryFor(snapshot.get("repeatedStatements"), "SELECT note FROM item WHERE id = ?");
		assertThat(repeated.get("perTransaction").asInt()).isGreaterThanOrEqualTo(30);
		assertThat(repeated.get("transactions").asLong()).isEqualTo(2);
		assertThat(repeated.get("requests").asLong()).isZero();
		assertThat(repeated.get("lastSeen").asString()).isNotBlank();
		assertThat(entryFor(snapshot.get("repeatedStatements"), "SELECT count(*) FROM item")).isNull();
		assertThat(output.getOut()
			.lines()
			.filter((line) -> line.contains("Repeated statement: one transaction ran this statement 30 times"))
			.count()).isEqualTo(1);
		assertThat(output.getOut()).contains("join or an IN list");

		JsonNode transactions = snapshot.get("transactions");
		assertThat(transactions.get("count").asLong()).isEqualTo(2);
		assertThat(transactions.get("committed").asLong()).isEqualTo(2);
		assertThat(transactions.get("maxStatements").asLong()).isEqualTo(31);
		JsonNode longest = transactions.get("longest").get(0);
		assertThat(longest.get("statements").asInt()).isEqualTo(31);
		assertThat(longest.get("outcome").asString()).isEqualTo("commit");
		assertThat(longest.get("shapes").get(0).asString()).isEqualTo("30 x SELECT note FROM item WHERE id = ?");

		DistributionSummary statements = this.meterRegistry.get(QueryMetrics.TRANSACTION_STATEMENTS)
			.tag("outcome", "commit")
			.summary();
		assertThat(statements.count()).isGreaterThanOrEqualTo(2);
		assertThat(statements.max()).isGreaterThanOrEqualTo(31);
		Timer duration = this.meterRegistry.get(QueryMetrics.TRANSACTION_DURATION).tag("outcome", "commit").timer();
		assertThat(duration.count()).isGreaterThanOrEqualTo(2);
	}

	@Test
	void webRequestRunningOneShapeThirtyTimesIsReported() throws Exception {
		HttpResponse<String> response = send("GET", "/orders-one-by-one");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode repeated = entryFor(get("/metrics/database").get("repeatedStatements"),
				"SELECT note FROM item WHERE id = ? AND ? = ?");
		assertThat(repeated).isNotNull();
		assertThat(repeated.get("perTransaction").asInt()).isEqualTo(30);
		assertThat(repeated.get("requests").asLong()).isEqualTo(1);
		assertThat(repeated.get("transactions").asLong()).isEqualTo(1);
	}

	@Test
	void loopOfSmallTransactionsInOneRequestIsReportedAsTheRequest() throws Exception {
		assertThat(send("GET", "/transactions-one-by-one").statusCode()).isEqualTo(200);
		JsonNode repeated = entryFor(get("/metrics/database").get("repeatedStatements"),
				"SELECT note FROM item WHERE id = ? AND ? = ? AND ? = ?");
		assertThat(repeated).isNotNull();
		assertThat(repeated.get("perTransaction").asInt()).isEqualTo(12);
		assertThat(repeated.get("requests").asLong()).isEqualTo(1);
	}

	@Test
	void serverSectionListsTheServersTopStatementsMasked() throws Exception {
		// The section lists the top 10 by total time: start from an empty view so that
		// earlier statements of the shared server cannot push ours out of it.
		this.jdbcTemplate.execute("SELECT pg_stat_statements_reset()");
		for (int i = 0; i < 5; i++) {
			this.jdbcTemplate.queryForList("SELECT note FROM item WHERE note = 'top secret " + i + "'", String.class);
		}
		// The server view is internal: Actuator's document only.
		assertThat(get("/metrics/database").has("server")).isFalse();
		JsonNode server = get("/actuator/database").get("server");
		assertThat(server.get("status").asString()).isEqualTo("ok");
		JsonNode top = server.get("topStatements");
		assertThat(top.isArray()).as("topStatements: %s", top).isTrue();
		assertThat(top.size()).isBetween(1, 10);
		assertThat(names(top.get(0))).containsExactly("query", "calls", "totalTime", "meanTime", "rows");
		assertThat(top.toString()).doesNotContain("top secret");
		boolean found = false;
		for (JsonNode entry : top) {
			if (entry.get("query").asString().equals("SELECT note FROM item WHERE note = ?")) {
				found = entry.get("calls").asLong() >= 5;
			}
		}
		assertThat(found).as("the server's view of our statement in %s", top).isTrue();
	}

	private QueryObserver observer() throws Exception {
		return this.dataSource.unwrap(ObservedDataSource.class).getObserver();
	}

	private JsonNode awaitSlowQueryWithPlan(String path) throws Exception {
		JsonNode[] found = new JsonNode[1];
		await(() -> {
			try {
				for (JsonNode slow : get(path).get("slowQueries")) {
					if (slow.has("plan")) {
						found[0] = slow;
						return true;
					}
				}
				return false;
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		return found[0];
	}

	private static JsonNode entryFor(JsonNode list, String shape) {
		for (JsonNode entry : list) {
			if (entry.get("shape").asString().equals(shape)) {
				return entry;
			}
		}
		return null;
	}

	private static List<String> names(JsonNode node) {
		List<String> names = new ArrayList<>();
		node.propertyNames().forEach(names::add);
		return names;
	}

	private static void await(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				fail("condition not met within 20 s");
			}
			Thread.sleep(50);
		}
	}

	private JsonNode get(String path) throws Exception {
		HttpResponse<String> response = send("GET", path);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return this.json.readTree(response.body());
	}

	private HttpResponse<String> send(String method, String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.timeout(Duration.ofSeconds(30))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class InsightApplication {

		@Bean
		ItemController itemController(JdbcTemplate jdbcTemplate, TransactionTemplate transactionTemplate) {
			return new ItemController(jdbcTemplate, transactionTemplate);
		}

	}

	@RestController
	static class ItemController {

		private final JdbcTemplate jdbcTemplate;

		private final TransactionTemplate transactionTemplate;

		ItemController(JdbcTemplate jdbcTemplate, TransactionTemplate transactionTemplate) {
			this.jdbcTemplate = jdbcTemplate;
			this.transactionTemplate = transactionTemplate;
		}

		/** The N+1 of an application without transactions: one borrow per row. */
		@GetMapping("/orders-one-by-one")
		List<String> ordersOneByOne() {
			List<String> notes = new ArrayList<>();
			for (int id = 1; id <= 30; id++) {
				notes.add(this.jdbcTemplate.queryForObject("SELECT note FROM item WHERE id = ? AND 1 = 1", String.class,
						id));
			}
			return notes;
		}

		/** A loop of small transactions, each below the threshold on its own. */
		@GetMapping("/transactions-one-by-one")
		List<String> transactionsOneByOne() {
			List<String> notes = new ArrayList<>();
			for (int id = 1; id <= 6; id++) {
				int first = id;
				this.transactionTemplate.executeWithoutResult((status) -> {
					for (int row = first; row < first + 2; row++) {
						notes.add(this.jdbcTemplate.queryForObject(
								"SELECT note FROM item WHERE id = ? AND 1 = 1 AND 2 = 2", String.class, row));
					}
				});
			}
			return notes;
		}

	}

}
