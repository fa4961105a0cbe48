package dev.dbpool.observe;

import java.time.Clock;
import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SlowQueryPlansTest {

	private static final TestDatabase database = TestDatabase.shared().newDatabase("plans");

	private final StatementShapes shapes = new StatementShapes(100, 100, 1000);

	private SlowQueryPlans plans;

	@AfterEach
	void close() {
		if (this.plans != null) {
			this.plans.close();
		}
	}

	@Test
	void planMasksLiteralsInExpressionsButKeepsCostEstimates() {
		String plan = "Index Scan using account_pkey on account  (cost=0.29..8.30 rows=1 width=40)\n"
				+ "  Index Cond: (id = 42)\n" + "  Filter: ((email)::text = 'alice@example.com'::text)";
		assertThat(SlowQueryPlans.mask(plan))
			.isEqualTo("Index Scan using account_pkey on account  (cost=0.29..8.30 rows=1 width=40)\n"
					+ "  Index Cond: (id = ?)\n" + "  Filter: ((email)::text = ?::text)");
	}

	@Test
	void onlySingleStatementsAreExplained() {
		assertThat(SlowQueryPlans.isSingleStatement("SELECT 1")).isTrue();
		assertThat(SlowQueryPlans.isSingleStatement("SELECT ';' FROM t;  ")).isTrue();
		assertThat(SlowQueryPlans.isSingleStatement("SELECT 1 -- ; DROP TABLE t")).isTrue();
		assertThat(SlowQueryPlans.isSingleStatement("SELECT 1; DELETE FROM t")).isFalse();
		assertThat(SlowQueryPlans.isSingleStatement("SELECT 'unterminated")).isFalse();
		assertThat(SlowQueryPlans.isSingleStatement("SELECT $$;$$")).isFalse();
	}

	@Test
	void explainOfAnInsertWritesNothingAndMultiStatementSqlIsNeverRun() throws Exception {
		database.execute("CREATE TABLE IF NOT EXISTS target (id int PRIMARY KEY)");
		HikariDataSource[] opened = new HikariDataSource[1];
		this.plans = new SlowQueryPlans(() -> {
			HikariDataSource source = new HikariDataSource();
			source.setJdbcUrl(database.jdbcUrl());
			source.setUsername(database.username());
			source.setPassword(database.password());
			source.setMaximumPoolSize(1);
			opened[0] = source;
			return source;
		}, 10, Duration.ofMinutes(10), Duration.ofSeconds(2), Clock.systemUTC());
		String dangerous = "INSERT INTO target VALUES (1); DELETE FROM target";
		this.plans.slow(this.shapes.shapeOf(dangerous), dangerous, null);
		ParameterValues parameters = new ParameterValues();
		parameters.set(1, 7);
		String insert = "INSERT INTO target VALUES (?)";
		StatementShape shape = this.shapes.shapeOf(insert);
		this.plans.slow(shape, insert, parameters);
		long deadline = System.nanoTime() + 20_000_000_000L;
		while (this.plans.planOf(shape.shape()) == null && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertThat(this.plans.planOf(shape.shape())).startsWith("Insert on target");
		assertThat(this.plans.planOf(this.shapes.shapeOf(dangerous).shape())).isNull();
		try (var connection = database.connect();
				var rows = connection.createStatement().executeQuery("SELECT count(*) FROM target")) {
			rows.next();
			assertThat(rows.getLong(1)).isZero();
		}
		assertThat(opened[0].getHikariPoolMXBean().getTotalConnections()).isLessThanOrEqualTo(1);
	}

}
