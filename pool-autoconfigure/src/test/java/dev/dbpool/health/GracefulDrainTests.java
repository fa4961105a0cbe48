package dev.dbpool.health;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(OutputCaptureExtension.class)
class GracefulDrainTests {

	private static final TestDatabase database = TestDatabase.shared().newDatabase("drain");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				ApplicationAvailabilityAutoConfiguration.class, DbPoolHealthAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=" + database.jdbcUrl(),
				"spring.datasource.username=" + database.username(),
				"spring.datasource.password=" + database.password(), "spring.datasource.hikari.pool-name=drain-test");

	@Test
	void closingTheContextLetsARunningTransactionCommitBeforeThePoolCloses(CapturedOutput output) throws Exception {
		database.execute("CREATE TABLE orders (id int PRIMARY KEY)");
		ReadinessRecorder readiness = new ReadinessRecorder();
		this.contextRunner.withBean(ReadinessRecorder.class, () -> readiness).run((context) -> {
			HikariDataSource pool = context.getBean(HikariDataSource.class);
			readiness.pool = pool;
			// What SpringApplication publishes once the application has started.
			AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
			CompletableFuture<Void> transaction = CompletableFuture.runAsync(() -> insertSlowly(pool, 3));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> pool.getHikariPoolMXBean() != null
						&& pool.getHikariPoolMXBean().getActiveConnections() == 1);
			context.close();
			assertThat(readiness.busyConnectionsWhenRefused).isEqualTo(1);
			assertThat(transaction).succeedsWithin(Duration.ofSeconds(5));
			assertThat(pool.isClosed()).isTrue();
		});
		assertThat(countOrders()).isOne();
		assertThat(output).contains("Connection pool 'drain-test' drained cleanly in");
	}

	@Test
	void drainGivesUpAfterTheDrainTimeoutAndSaysHowManyConnectionsWereBusy(CapturedOutput output) {
		this.contextRunner.withPropertyValues("db.pool.shutdown.drain-timeout=1").run((context) -> {
			HikariDataSource pool = context.getBean(HikariDataSource.class);
			try (Connection held = pool.getConnection()) {
				context.close();
				assertThat(pool.isClosed()).isTrue();
			}
		});
		assertThat(output).contains("Connection pool 'drain-test' not drained after",
				"1 connection(s) still busy, aborted when the pool closes");
	}

	private static void insertSlowly(HikariDataSource pool, int seconds) {
		try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
			connection.setAutoCommit(false);
			statement.execute("INSERT INTO orders VALUES (1)");
			statement.execute("SELECT pg_sleep(" + seconds + ")");
			connection.commit();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static int countOrders() throws Exception {
		try (Connection connection = database.connect();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT count(*) FROM orders")) {
			result.next();
			return result.getInt(1);
		}
	}

	static class ReadinessRecorder implements ApplicationListener<AvailabilityChangeEvent<ReadinessState>> {

		private volatile HikariDataSource pool;

		private volatile int busyConnectionsWhenRefused = -1;

		@Override
		public void onApplicationEvent(AvailabilityChangeEvent<ReadinessState> event) {
			if (event.getState() == ReadinessState.REFUSING_TRAFFIC && this.pool != null) {
				this.busyConnectionsWhenRefused = this.pool.getHikariPoolMXBean().getActiveConnections();
			}
		}

	}

}
