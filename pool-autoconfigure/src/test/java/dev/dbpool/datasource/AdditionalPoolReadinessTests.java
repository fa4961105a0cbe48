package dev.dbpool.datasource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.dbpool.health.PoolHealthIndicator;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An additional pool's health component is outside the {@code readiness} group unless the
 * application names it in Boot's own
 * {@code management.endpoint.health.group.readiness.include}: a database that only part
 * of the application needs does not take every instance out of the load balancer at once.
 */
class AdditionalPoolReadinessTests {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	void additionalPoolIsOutOfReadinessUntilTheApplicationIncludesIt() throws Exception {
		TestDatabase primary = TestDatabase.shared().newDatabase("readyprimary");
		TestDatabase reports = TestDatabase.shared().newDatabase("readyreports");
		try (ConfigurableApplicationContext byDefault = start(primary, reports);
				ConfigurableApplicationContext included = start(primary, reports,
						"management.endpoint.health.group.readiness.include=readinessState,db,dbReports")) {
			assertThat(readiness(byDefault).body().at("/components").propertyNames()).containsExactlyInAnyOrder("db",
					"readinessState");
			assertThat(readiness(included).body().at("/components").propertyNames()).containsExactlyInAnyOrder("db",
					"dbReports", "readinessState");

			stop(reports);
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(reportsHealth(byDefault)).isEqualTo(Status.DOWN));
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(reportsHealth(included)).isEqualTo(Status.DOWN));

			Readiness ready = readiness(byDefault);
			assertThat(ready.status()).isEqualTo(200);
			assertThat(ready.body().at("/status").asString()).isEqualTo("UP");
			Readiness unready = readiness(included);
			assertThat(unready.status()).isEqualTo(503);
			assertThat(unready.body().at("/components/dbReports/status").asString()).isEqualTo("DOWN");
			assertThat(unready.body().at("/components/db/status").asString()).isEqualTo("UP");
		}
		finally {
			TestDatabase.shared().execute("ALTER DATABASE \"" + reports.database() + "\" WITH ALLOW_CONNECTIONS true");
		}
	}

	private static ConfigurableApplicationContext start(TestDatabase primary, TestDatabase reports,
			String... properties) {
		return new SpringApplicationBuilder(ReadinessApplication.class).web(WebApplicationType.SERVLET)
			.properties("DATABASE_URL=" + primary.databaseUrl(), "spring.application.name=ready",
					"db.pool.additional.reports.url=" + reports.databaseUrl(), "server.port=0",
					"db.pool.health.timeout=1s")
			.properties(properties)
			.run();
	}

	/** Make the database refuse new connections and end the ones it has. */
	private static void stop(TestDatabase database) {
		TestDatabase.shared()
			.execute("ALTER DATABASE \"" + database.database() + "\" WITH ALLOW_CONNECTIONS false",
					"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database.database()
							+ "'");
	}

	private static Status reportsHealth(ConfigurableApplicationContext context) {
		return context.getBean("dbReportsHealthContributor", PoolHealthIndicator.class).health(false).getStatus();
	}

	private Readiness readiness(ConfigurableApplicationContext context) throws IOException, InterruptedException {
		String port = context.getEnvironment().getProperty("local.server.port");
		HttpResponse<String> response = this.client
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/readiness"))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString());
		return new Readiness(response.statusCode(), JsonMapper.builder().build().readTree(response.body()));
	}

	private record Readiness(int status, JsonNode body) {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ReadinessApplication {

	}

}
