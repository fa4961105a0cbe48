package dev.dbpool.endpoint;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The opt-ins: reset on the application port, internals on the application port, and
 * Actuator's write operations once its access allows them.
 */
@SpringBootTest(classes = DatabaseEndpointResetWebTest.TestApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=database",
				"management.endpoint.database.access=unrestricted", "db.pool.endpoint.reset-enabled=true",
				"db.pool.endpoint.show-internals=true" })
class DatabaseEndpointResetWebTest {

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	@Autowired
	private DataSource dataSource;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabase database = TestDatabase.shared();
		registry.add("spring.datasource.url", database::jdbcUrl);
		registry.add("spring.datasource.username", database::username);
		registry.add("spring.datasource.password", database::password);
	}

	@Test
	void deleteOrJsonPostResetsOnBothEndpointsOnceEnabled() throws Exception {
		for (HttpRequest reset : new HttpRequest[] { request("/metrics/database").DELETE().build(),
				jsonPost("/metrics/database"), request("/actuator/database").DELETE().build(),
				jsonPost("/actuator/database") }) {
			runQueries();
			assertThat(queriesExecuted()).isPositive();
			HttpResponse<String> response = http(reset);
			assertThat(response.statusCode()).as(reset.toString()).isEqualTo(200);
			assertThat(this.json.readTree(response.body()).get("reset").asBoolean()).isTrue();
			assertThat(queriesExecuted()).as(reset.toString()).isZero();
		}
	}

	@Test
	void crossOriginTextPlainPostDoesNotResetEvenWhenEnabled() throws Exception {
		runQueries();
		long before = queriesExecuted();
		for (String path : new String[] { "/metrics/database", "/actuator/database" }) {
			HttpResponse<String> response = http(request(path).header("Content-Type", "text/plain")
				.header("Origin", "https://attacker.example")
				.POST(HttpRequest.BodyPublishers.ofString("{}"))
				.build());
			assertThat(response.statusCode()).as(path).isEqualTo(415);
		}
		assertThat(queriesExecuted()).isEqualTo(before);
	}

	@Test
	void showInternalsPutsTheServerViewOnTheApplicationPort() throws Exception {
		JsonNode snapshot = this.json.readTree(http(request("/metrics/database").GET().build()).body());
		assertThat(snapshot.has("server")).isTrue();
		assertThat(snapshot.get("config").has("jdbcUrl")).isTrue();
		assertThat(snapshot.toString()).doesNotContain(TestDatabase.shared().password());
	}

	private long queriesExecuted() throws Exception {
		return this.json.readTree(http(request("/metrics/database").GET().build()).body())
			.get("queries")
			.get("queriesExecuted")
			.asLong();
	}

	private void runQueries() throws SQLException {
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement()) {
			statement.executeQuery("SELECT 1").close();
		}
	}

	private HttpRequest jsonPost(String path) {
		return request(path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{}"))
			.build();
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
	}

	private HttpResponse<String> http(HttpRequest request) throws IOException, InterruptedException {
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
