package dev.dbpool.health;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.dbpool.datasource.PoolDataSourceFactory;
import dev.dbpool.embedded.EmbeddedPostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /health/ready} on the application port against a PostgreSQL of its own, which
 * the tests saturate, stop and start again.
 */
@SpringBootTest(classes = ReadinessEndpointTests.TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadinessEndpointTests {

	private static final Logger logger = LoggerFactory.getLogger(ReadinessEndpointTests.class);

	private static final int POOL_SIZE = 2;

	/** The client gives up long before the pool's own 20 s borrow timeout. */
	private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(6);

	private static EmbeddedPostgresServer server;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(CLIENT_TIMEOUT).build();

	@LocalServerPort
	private int port;

	@Autowired
	private DataSource dataSource;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		server = EmbeddedPostgresServer.builder().start();
		registry.add("db.pool.url", () -> server.getJdbcUrl("postgres"));
		registry.add("db.pool.username", server::getUsername);
		registry.add("db.pool.password", server::getPassword);
		registry.add("db.pool.connection-limit", () -> POOL_SIZE);
		registry.add("db.pool.pool-timeout", () -> "20s");
		registry.add("db.pool.health.timeout", () -> "2s");
	}

	@AfterAll
	static void stopServer() {
		if (server != null) {
			server.close();
		}
	}

	@Test
	@Order(1)
	void readyWhenTheDatabaseAnswers() throws Exception {
		HttpResponse<String> response = get("/health/ready");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"status\":\"UP\"", "\"readinessState\"", "\"db\"", "\"latencyMs\"",
				"\"saturated\":false", "\"limit\":" + POOL_SIZE);
		assertThat(response.body()).doesNotContain(server.getPassword());
	}

	@Test
	@Order(2)
	void actuatorReadinessGroupServesTheSameAndLivenessIgnoresTheDatabase() throws Exception {
		HttpResponse<String> readiness = get("/actuator/health/readiness");
		assertThat(readiness.statusCode()).isEqualTo(200);
		assertThat(readiness.body()).contains("\"db\"");
		HttpResponse<String> liveness = get("/actuator/health/liveness");
		assertThat(liveness.statusCode()).isEqualTo(200);
		assertThat(liveness.body()).doesNotContain("\"db\"");
	}

	@Test
	@Order(3)
	void fullyBorrowedPoolStaysReadyAndSaysItIsSaturated() throws Exception {
		ExecutorService slowQueries = Executors.newFixedThreadPool(POOL_SIZE + 1);
		try {
			for (int i = 0; i < POOL_SIZE + 1; i++) {
				slowQueries.submit(() -> sleepInDatabase(5));
			}
			await().atMost(Duration.ofSeconds(10))
				.until(() -> PoolDataSourceFactory.pool(this.dataSource)
					.getHikariPoolMXBean()
					.getActiveConnections() == POOL_SIZE);
			HttpResponse<String> response = get("/health/ready");
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).contains("\"status\":\"UP\"", "\"saturated\":true", "\"active\":" + POOL_SIZE);
		}
		finally {
			slowQueries.shutdown();
			assertThat(slowQueries.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		}
	}

	@Test
	@Order(4)
	void stoppedDatabaseMakesTheInstanceUnreadyAndItRecoversWithoutRestart() throws Exception {
		server.stop();
		HttpResponse<String> down = get("/health/ready");
		assertThat(down.statusCode()).isEqualTo(503);
		assertThat(down.body()).contains("\"status\":\"DOWN\"", "\"sqlState\"", "\"reason\"");
		assertThat(down.body()).doesNotContain(server.getPassword());
		HttpResponse<String> liveness = get("/actuator/health/liveness");
		assertThat(liveness.statusCode()).isEqualTo(200);
		server.startAgain();
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			HttpResponse<String> up = get("/health/ready");
			assertThat(up.statusCode()).isEqualTo(200);
			assertThat(up.body()).contains("\"status\":\"UP\"");
		});
	}

	private void sleepInDatabase(int seconds) {
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("SELECT pg_sleep(" + seconds + ")");
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(CLIENT_TIMEOUT)
			.GET()
			.build();
		long start = System.nanoTime();
		HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
		logger.info("GET {} answered {} in {} ms: {}", path, response.statusCode(),
				TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), response.body());
		return response;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
