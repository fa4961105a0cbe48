package dev.dbpool.health;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

class PoolHealthIndicatorTests {

	private static final TestDatabase database = TestDatabase.shared();

	private final List<AutoCloseable> resources = new ArrayList<>();

	@AfterEach
	void closeResources() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	@Test
	void reachableDatabaseIsUpWithLatencyAndPoolStatistics() {
		HikariDataSource pool = pool(3);
		PoolHealthIndicator indicator = indicator(pool);
		Health health = indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsKey("latencyMs").containsEntry("saturated", false);
		assertThat(pool(health)).containsEntry("limit", 3)
			.containsKeys("active", "idle", "total", "waiting", "utilization");
	}

	@Test
	void fullyBorrowedPoolIsUpAndSaturatedWhileTheDatabaseAnswers() throws Exception {
		HikariDataSource pool = pool(2);
		for (int i = 0; i < 2; i++) {
			Connection connection = pool.getConnection();
			this.resources.add(connection);
		}
		Health health = indicator(pool).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("saturated", true);
		assertThat(pool(health)).containsEntry("active", 2).containsEntry("utilization", 100.0);
	}

	@Test
	void wrongPasswordIsDownWithSqlStateAndNoSecret() {
		HikariConfig config = config(2);
		config.setPassword("not-the-password-s3cret");
		HikariDataSource pool = new HikariDataSource(config);
		this.resources.add(pool);
		Health health = indicator(pool).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("sqlState", "28P01")
			.containsEntry("reason", "authentication failed");
		assertThat(health.toString()).doesNotContain("not-the-password-s3cret").doesNotContain(database.jdbcUrl());
	}

	@Test
	void closedPoolIsOutOfService() {
		HikariDataSource pool = pool(2);
		PoolHealthIndicator indicator = indicator(pool);
		pool.close();
		assertThat(indicator.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
	}

	@Test
	void probeThatDoesNotAnswerInTimeIsDown() {
		HikariDataSource pool = pool(2);
		CountDownLatch hang = new CountDownLatch(1);
		PoolHealthIndicator indicator = new PoolHealthIndicator(pool, () -> {
			try {
				hang.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return ProbeResult.answered(1);
		}, null, Duration.ofMillis(300), leaks(), Clock.systemUTC());
		this.resources.add(indicator);
		this.resources.add(hang::countDown);
		Health health = indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("reason", "database did not answer within 300 ms")
			.doesNotContainKey("sqlState");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> pool(Health health) {
		return (Map<String, Object>) health.getDetails().get("pool");
	}

	private PoolHealthIndicator indicator(HikariDataSource pool) {
		PoolHealthIndicator indicator = new PoolHealthIndicator(pool, Duration.ofSeconds(2), leaks());
		this.resources.add(indicator);
		return indicator;
	}

	private static ConnectionLeakStatistics leaks() {
		return new ConnectionLeakStatistics(Duration.ZERO, Clock.systemUTC());
	}

	private HikariDataSource pool(int size) {
		HikariDataSource pool = new HikariDataSource(config(size));
		this.resources.add(pool);
		return pool;
	}

	private static HikariConfig config(int size) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(database.jdbcUrl());
		config.setUsername(database.username());
		config.setPassword(database.password());
		config.setMaximumPoolSize(size);
		config.setConnectionTimeout(20_000);
		config.setInitializationFailTimeout(-1);
		return config;
	}

}
