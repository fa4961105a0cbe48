package dev.dbpool.datasource;

import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.config.SettingValues;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A pool timeout below HikariCP's 250 ms floor is honoured, not replaced by HikariCP's 30
 * s.
 */
class ShortPoolTimeoutTests {

	@Test
	void borrowFromAnExhaustedPoolGivesUpAfterTheConfiguredShortTimeout() throws Exception {
		try (HikariDataSource pool = PoolDataSourceFactory.create(definition(Duration.ofMillis(50)));
				Connection held = pool.getConnection()) {
			assertThat(PoolDataSourceFactory.poolTimeoutMillis(pool)).isEqualTo(50);
			assertThat(pool.getConnectionTimeout()).isEqualTo(250);
			List<Long> waits = new ArrayList<>();
			for (int attempt = 0; attempt < 5; attempt++) {
				long start = System.nanoTime();
				assertThatExceptionOfType(SQLTransientConnectionException.class).isThrownBy(pool::getConnection)
					.withMessageContaining("Connection is not available");
				waits.add(Duration.ofNanos(System.nanoTime() - start).toMillis());
			}
			// HikariCP's own path would wait 250 ms (its floor) or 30 s; the least of
			// five
			// waits is free of scheduling delays.
			assertThat(waits).allSatisfy((wait) -> assertThat(wait).isGreaterThanOrEqualTo(50));
			assertThat(waits.stream().mapToLong(Long::longValue).min().getAsLong()).isLessThan(250);
		}
	}

	@Test
	void shortTimeoutPoolStillServesConnections() throws Exception {
		try (HikariDataSource pool = PoolDataSourceFactory.create(definition(Duration.ofMillis(50)));
				Connection connection = pool.getConnection();
				var statement = connection.createStatement();
				var result = statement.executeQuery("SELECT 42")) {
			assertThat(result.next()).isTrue();
			assertThat(result.getInt(1)).isEqualTo(42);
		}
	}

	@Test
	void timeoutAtOrAboveTheFloorUsesHikariDirectly() {
		try (HikariDataSource pool = PoolDataSourceFactory.create(definition(Duration.ofMillis(250)))) {
			assertThat(pool.getClass()).isEqualTo(HikariDataSource.class);
			assertThat(PoolDataSourceFactory.poolTimeoutMillis(pool)).isEqualTo(250);
		}
	}

	@Test
	void closedShortTimeoutPoolRefusesBorrows() {
		HikariDataSource pool = PoolDataSourceFactory.create(definition(Duration.ofMillis(100)));
		pool.close();
		assertThatExceptionOfType(java.sql.SQLException.class).isThrownBy(pool::getConnection)
			.withMessageContaining("has been closed");
	}

	private static PoolDefinition definition(Duration poolTimeout) {
		SettingValues values = SettingValues.of(Map.of("db.pool.url", TestDatabase.shared().databaseUrl(),
				"db.pool.connection-limit", "1", "db.pool.pool-timeout", poolTimeout.toMillis() + "ms"), Map.of());
		return new PoolSettingsResolver(values, Map.of(), "short-timeout").resolve(null);
	}

}
