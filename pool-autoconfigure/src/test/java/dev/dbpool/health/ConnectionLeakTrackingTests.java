package dev.dbpool.health;

import java.sql.Connection;
import java.time.Duration;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.common.DatabaseSnapshotContributor;
import dev.dbpool.testsupport.TestDatabase;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ConnectionLeakTrackingTests {

	private static final TestDatabase database = TestDatabase.shared();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				ApplicationAvailabilityAutoConfiguration.class, DbPoolHealthAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=" + database.jdbcUrl(),
				"spring.datasource.username=" + database.username(),
				"spring.datasource.password=" + database.password(),
				// HikariCP's lowest accepted threshold.
				"spring.datasource.hikari.leak-detection-threshold=2000");

	@Test
	void connectionHeldPastTheThresholdIsCountedWithItsBorrowingStackTrace() {
		this.contextRunner.run((context) -> {
			HikariDataSource pool = context.getBean(HikariDataSource.class);
			ConnectionLeakStatistics leaks = context.getBean(ConnectionLeakStatistics.class);
			try (Connection held = borrowAndForget(pool)) {
				await().atMost(Duration.ofSeconds(15)).until(() -> leaks.detectedCount() == 1);
				assertThat(leaks.lastLeak()).isNotNull();
				assertThat(leaks.lastLeak().borrowedAt())
					.anySatisfy((frame) -> assertThat(frame).contains("borrowAndForget"));
				Map<String, Object> section = snapshot(context.getBean(DatabaseSnapshotContributor.class));
				assertThat(section).containsEntry("detectionEnabled", true)
					.containsEntry("count", 1L)
					.containsKey("last");
				assertThat(section.get("last").toString()).contains("borrowAndForget");
				Health health = context.getBean("dbHealthContributor", HealthIndicator.class).health();
				assertThat(health.getDetails()).containsKey("leaks");
				assertThat(snapshotOf(health)).containsEntry("count", 1L).containsKey("last");
				// The readiness group shows these details on the application port: the
				// code that leaked stays in Actuator's database endpoint.
				assertThat(health.getDetails().toString()).doesNotContain("borrowAndForget")
					.doesNotContain("stackTrace");
				assertThat(snapshotOf(health).get("last")).asInstanceOf(InstanceOfAssertFactories.MAP)
					.containsOnlyKeys("detectedAt");
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> leaks.returnedCount() == 1);
		});
	}

	@Test
	void leakSectionIsNamedLeaks() {
		this.contextRunner.run((context) -> assertThat(context.getBean(DatabaseSnapshotContributor.class).section())
			.isEqualTo("leaks"));
	}

	private static Connection borrowAndForget(HikariDataSource pool) throws Exception {
		return pool.getConnection();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> snapshot(DatabaseSnapshotContributor contributor) {
		return (Map<String, Object>) contributor.snapshot();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> snapshotOf(Health health) {
		return (Map<String, Object>) health.getDetails().get("leaks");
	}

}
