package dev.dbpool.sample.report;

import dev.dbpool.sample.HttpJson;
import dev.dbpool.sample.HttpJson.Response;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The slow report over HTTP: real rows, a real server-side delay, a slow-query log line.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "db.pool.slow-query.threshold=200ms")
@ExtendWith(OutputCaptureExtension.class)
class RetailerReportTests {

	private static final TestDatabase database = TestDatabase.shared().newDatabase("sample_report");

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("db.pool.url", database::jdbcUrl);
		registry.add("db.pool.username", database::username);
		registry.add("db.pool.password", database::password);
	}

	@LocalServerPort
	int port;

	@Test
	void reportCountsOrdersPerRetailerAndItsDelayIsLoggedAsSlow(CapturedOutput output) {
		Response response = new HttpJson(this.port).get("/api/reports/retailers?delayMs=300");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body().get("retailers").valueStream().map((row) -> row.get("name").asString()))
			.isNotEmpty();
		assertThat(output).contains("pg_sleep");
		assertThat(output).doesNotContain(database.password());
	}

	@Test
	void delayOutOfRangeIsRefused() {
		Response response = new HttpJson(this.port).get("/api/reports/retailers?delayMs=60000");
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.body().get("error").asString()).contains("between 0 and 10000");
	}

}
