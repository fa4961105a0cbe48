package dev.dbpool.observe;

import java.sql.Connection;
import java.time.Duration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

@ExtendWith(OutputCaptureExtension.class)
class PoolPressureWatcherTest {

	private final HikariDataSource pool = pool();

	private final PoolPressureWatcher watcher = new PoolPressureWatcher(() -> this.pool, new PoolPressureMonitor(80),
			Duration.ofMillis(50));

	@AfterEach
	void close() {
		this.watcher.close();
		this.pool.close();
	}

	@Test
	void warnsOncePerExcursionWhileTheRealPoolIsFull(CapturedOutput output) throws Exception {
		try (Connection first = this.pool.getConnection(); Connection second = this.pool.getConnection()) {
			for (int i = 0; i < 5; i++) {
				this.watcher.check();
			}
		}
		assertThat(warnings(output)).containsExactly("High pool utilization: 100.0% (2/2)");
		this.watcher.check();
		try (Connection first = this.pool.getConnection(); Connection second = this.pool.getConnection()) {
			this.watcher.check();
		}
		assertThat(warnings(output)).hasSize(2);
	}

	@Test
	void scheduledSamplingLogsWithoutAnyQueryRunning(CapturedOutput output) throws Exception {
		try (Connection first = this.pool.getConnection(); Connection second = this.pool.getConnection()) {
			this.watcher.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> !warnings(output).isEmpty());
		}
	}

	@Test
	void nonPositiveIntervalIsRejectedNamingTheProperty() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PoolPressureWatcher(() -> null, new PoolPressureMonitor(80), Duration.ZERO))
			.withMessageContaining("check interval");
	}

	private static java.util.List<String> warnings(CapturedOutput output) {
		return output.getOut()
			.lines()
			.filter((line) -> line.contains("High pool utilization"))
			.map((line) -> line.substring(line.indexOf("High pool utilization")))
			.toList();
	}

	private static HikariDataSource pool() {
		TestDatabase database = TestDatabase.shared();
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(database.jdbcUrl());
		config.setUsername(database.username());
		config.setPassword(database.password());
		config.setMaximumPoolSize(2);
		config.setMinimumIdle(2);
		return new HikariDataSource(config);
	}

}
