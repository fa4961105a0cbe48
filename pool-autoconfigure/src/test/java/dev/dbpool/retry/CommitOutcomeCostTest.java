package dev.dbpool.retry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What db.pool.retry.resolve-commit-outcome costs: the same one-row write transaction,
 * retried-call style, with and without reading the transaction id before COMMIT, in
 * alternating blocks on one pool in one run, with synchronous_commit off so that the WAL
 * flush does not drown the difference. The figure is logged for docs/benchmarks.md; the
 * test checks only that both sides did their work.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CommitOutcomeCostTest {

	private static final Logger logger = LoggerFactory.getLogger(CommitOutcomeCostTest.class);

	private static final int BLOCKS = 5;

	private static final int TRANSACTIONS_PER_BLOCK = 100;

	@Test
	void readingTheTransactionIdCostsOneRoundTripPerWriteTransaction() {
		TestDatabase database = TestDatabase.shared().newDatabase("commit_cost");
		// Without the WAL flush at COMMIT, which dominates a one-row transaction and
		// varies on a shared machine, the difference is the extra round trip itself.
		database.execute("CREATE TABLE event (n int NOT NULL)",
				"ALTER DATABASE " + database.database() + " SET synchronous_commit = off");
		try (HikariDataSource pool = RetryTestContexts.pool(database, "commit-cost", (config) -> {
			config.setMaximumPoolSize(1);
		});
				ConfigurableApplicationContext on = RetryTestContexts.start(pool, Services.class,
						"db.pool.retry.resolve-commit-outcome=true");
				ConfigurableApplicationContext off = RetryTestContexts.start(pool, Services.class,
						"db.pool.retry.resolve-commit-outcome=false")) {
			Writer withId = on.getBean(Writer.class);
			Writer without = off.getBean(Writer.class);
			// Warm up both paths.
			block(withId, 0);
			block(without, 0);
			List<Double> differences = new ArrayList<>();
			List<Double> baselines = new ArrayList<>();
			for (int b = 0; b < BLOCKS; b++) {
				double a = block(without, b);
				double c = block(withId, b);
				double a2 = block(without, b);
				double baseline = (a + a2) / 2;
				baselines.add(baseline);
				differences.add(c - baseline);
			}
			Collections.sort(differences);
			Collections.sort(baselines);
			double median = differences.get(BLOCKS / 2);
			double baseline = baselines.get(BLOCKS / 2);
			logger.info(
					"resolve-commit-outcome cost: {} us per write transaction (median of {} paired blocks of {}; "
							+ "baseline {} us per transaction; differences {})",
					String.format("%.1f", median), BLOCKS, TRANSACTIONS_PER_BLOCK, String.format("%.1f", baseline),
					differences.stream().map((d) -> String.format("%.1f", d)).toList());
			long rows = new JdbcTemplate(pool).queryForObject("SELECT count(*) FROM event", Long.class);
			assertThat(rows).isEqualTo((long) TRANSACTIONS_PER_BLOCK * (2 + 3L * BLOCKS));
		}
	}

	/** Microseconds per transaction. */
	private static double block(Writer writer, int n) {
		long start = System.nanoTime();
		for (int i = 0; i < TRANSACTIONS_PER_BLOCK; i++) {
			writer.write(n);
		}
		return (System.nanoTime() - start) / 1000.0 / TRANSACTIONS_PER_BLOCK;
	}

	@Configuration(proxyBeanMethods = false)
	static class Services {

		@Bean
		Writer writer(DataSource dataSource) {
			return new Writer(new JdbcTemplate(dataSource));
		}

	}

	static class Writer {

		private final JdbcTemplate jdbc;

		Writer(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@RetryOnTransientFailure
		@Transactional
		public void write(int n) {
			this.jdbc.update("INSERT INTO event (n) VALUES (?)", n);
		}

	}

}
