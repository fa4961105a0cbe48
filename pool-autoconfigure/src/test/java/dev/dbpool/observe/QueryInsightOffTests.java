package dev.dbpool.observe;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import javax.sql.DataSource;

import dev.dbpool.DbPoolAutoConfiguration;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** With plans and transaction tracking off, nothing is captured, counted or opened. */
@ExtendWith(OutputCaptureExtension.class)
class QueryInsightOffTests {

	private static final TestDatabase database = TestDatabase.shared();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DbPoolAutoConfiguration.class, DataSourceAutoConfiguration.class,
				DbPoolObservationAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=" + database.jdbcUrl(),
				"spring.datasource.username=" + database.username(),
				"spring.datasource.password=" + database.password(), "db.pool.slow-query.threshold=50ms",
				"logging.level.dev.dbpool.observe.SlowQueryLog=DEBUG");

	@Test
	void plansOffCaptureNoPlanAndOpenNoConnection(CapturedOutput output) {
		this.contextRunner.withPropertyValues("db.pool.slow-query.plan.enabled=false").run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			QueryObserver observer = dataSource.unwrap(ObservedDataSource.class).getObserver();
			assertThat(observer.plans()).isNull();
			assertThat(observer.capturesParameters()).isFalse();
			runSlowQuery(dataSource);
			assertThat(observer.slowQueries()).hasSize(1);
			assertThat(output.getOut()).contains("Slow query detected").doesNotContain("Plan of slow query");
		});
	}

	@Test
	void plansOnByDefaultCaptureOnTheirOwnConnection() {
		this.contextRunner.run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			QueryObserver observer = dataSource.unwrap(ObservedDataSource.class).getObserver();
			SlowQueryPlans plans = observer.plans();
			assertThat(plans).isNotNull();
			assertThat(plans.connectionOpened()).isFalse();
			runSlowQuery(dataSource);
			String shape = observer.slowQueries().get(0).shape();
			long deadline = System.nanoTime() + 20_000_000_000L;
			while (plans.planOf(shape) == null && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			assertThat(plans.planOf(shape)).startsWith("Result");
			assertThat(plans.connectionOpened()).isTrue();
		});
	}

	@Test
	void transactionTrackingOffCountsNothingPerTransaction(CapturedOutput output) {
		this.contextRunner.withPropertyValues("db.pool.observation.track-transactions=false").run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			QueryObserver observer = dataSource.unwrap(ObservedDataSource.class).getObserver();
			assertThat(observer.transactionTracking()).isNull();
			try (Connection connection = dataSource.getConnection()) {
				connection.setAutoCommit(false);
				try (PreparedStatement statement = connection.prepareStatement("SELECT ?::int")) {
					for (int i = 0; i < 30; i++) {
						statement.setInt(1, i);
						statement.executeQuery().close();
					}
				}
				connection.commit();
			}
			assertThat(observer.statistics().queriesExecuted()).isEqualTo(30);
			assertThat(output.getOut()).doesNotContain("Repeated statement");
		});
	}

	private static void runSlowQuery(DataSource dataSource) throws Exception {
		try (Connection connection = dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement("SELECT pg_sleep(0.1)");
				ResultSet rows = statement.executeQuery()) {
			rows.next();
		}
	}

}
