package dev.dbpool.endpoint;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PostgresServerViewTest {

	private final HikariDataSource pool = pool();

	@AfterEach
	void close() {
		this.pool.close();
	}

	@Test
	void reportsConnectionsByStateMaxConnectionsAndSize() {
		try (PostgresServerView view = new PostgresServerView(this.pool, Duration.ofSeconds(5), Duration.ofSeconds(5),
				Clock.systemUTC())) {
			Map<String, Object> server = view.view();
			assertThat(server).containsEntry("status", "ok")
				.containsKeys("connections", "totalConnections", "maxConnections", "databaseSizeBytes");
			assertThat(((Map<?, ?>) server.get("connections")).keySet()).map(String::valueOf).contains("active");
			assertThat((Integer) server.get("maxConnections")).isPositive();
		}
	}

	@Test
	void servesTheCachedViewWithinTheCacheTime() {
		try (PostgresServerView view = new PostgresServerView(this.pool, Duration.ofMinutes(1), Duration.ofSeconds(5),
				Clock.systemUTC())) {
			assertThat(view.view()).isSameAs(view.view());
		}
	}

	@Test
	void answersUnknownWithinItsTimeoutWhenThePoolIsExhaustedAndRecoversAfterwards() throws Exception {
		try (PostgresServerView view = new PostgresServerView(this.pool, Duration.ZERO, Duration.ofMillis(300),
				Clock.systemUTC())) {
			Map<String, Object> server;
			try (Connection held = this.pool.getConnection()) {
				long start = System.nanoTime();
				server = view.view();
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
			}
			assertThat(server).containsEntry("status", "unknown").containsEntry("reason", "no connection within 300ms");
			await().atMost(Duration.ofSeconds(10)).until(() -> "ok".equals(view.view().get("status")));
		}
	}

	private static HikariDataSource pool() {
		TestDatabase database = TestDatabase.shared();
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(database.jdbcUrl());
		config.setUsername(database.username());
		config.setPassword(database.password());
		config.setMaximumPoolSize(1);
		config.setConnectionTimeout(3000);
		return new HikariDataSource(config);
	}

}
