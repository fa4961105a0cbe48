package dev.dbpool.retry;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.testsupport.FaultProxy;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
 * The experiments: 200 calls with a quarter of all COMMITs cut right after they
 * were sent, for plain read-only reads and for non-idempotent writes. Seeded, so every
 * run cuts the same COMMITs.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CommitCutExperimentTest {

	private static final Logger logger = LoggerFactory.getLogger(CommitCutExperimentTest.class);

	private static final int CALLS = 200;

	private static TestDatabase database;

	private static FaultProxy proxy;

	private static HikariDataSource dataSource;

	private static ConfigurableApplicationContext context;

	@BeforeAll
	static void start() {
		database = TestDatabase.shared().newDatabase("commit_cuts");
		database.execute("CREATE TABLE item (id int PRIMARY KEY)", "INSERT INTO item SELECT generate_series(1, 10)",
				"CREATE TABLE write (n int NOT NULL)");
		proxy = FaultProxy.start(database.host(), database.port());
		dataSource = RetryTestContexts.pool(proxy.jdbcUrl(database.database()), database.username(),
				database.password(), "commit-cuts", (config) -> {
					config.setMaximumPoolSize(4);
					config.addDataSourceProperty("prepareThreshold", "0");
				});
		context = RetryTestContexts.start(dataSource, Services.class, "db.pool.retry.max-attempts=5",
				"db.pool.retry.budget.enabled=false");
	}

	@AfterAll
	static void stop() {
		context.close();
		dataSource.close();
		proxy.close();
	}

	@Test
	void readOnlyCallsSurviveAQuarterOfCommitsCut() {
		Work work = context.getBean(Work.class);
		int cutsBefore = proxy.cuts();
		proxy.cutCommits(0.25, 13);
		int failed = 0;
		try {
			for (int i = 0; i < CALLS; i++) {
				try {
					assertThat(work.read()).isEqualTo(10);
				}
				catch (RuntimeException ex) {
					failed++;
				}
			}
		}
		finally {
			proxy.cutCommits(0, 0);
		}
		int cuts = proxy.cuts() - cutsBefore;
		logger.info("{} read-only calls, {} COMMITs cut: {} failed", CALLS, cuts, failed);
		assertThat(cuts).isGreaterThan(CALLS / 8);
		assertThat(failed).isZero();
	}

	@Test
	void nonIdempotentWritesLoseAndDoubleNothingWithAQuarterOfCommitsCut() {
		Work work = context.getBean(Work.class);
		RetryStatistics statistics = context.getBean(RetryStatistics.class);
		long unknownBefore = statistics.commitOutcomeUnknown();
		int cutsBefore = proxy.cuts();
		proxy.cutCommits(0.25, 7);
		int failed = 0;
		try {
			for (int i = 0; i < CALLS; i++) {
				try {
					work.write(i);
				}
				catch (RuntimeException ex) {
					failed++;
				}
			}
		}
		finally {
			proxy.cutCommits(0, 0);
		}
		int cuts = proxy.cuts() - cutsBefore;
		JdbcTemplate direct = new JdbcTemplate(dataSource);
		long rows = direct.queryForObject("SELECT count(*) FROM write", Long.class);
		long distinct = direct.queryForObject("SELECT count(DISTINCT n) FROM write", Long.class);
		logger.info("{} non-idempotent writes, {} COMMITs cut: {} failed, {} rows ({} distinct), resolutions {}", CALLS,
				cuts, failed, rows, distinct, statistics.commitOutcomesResolved());
		assertThat(cuts).isGreaterThan(CALLS / 8);
		assertThat(failed).isZero();
		assertThat(rows).isEqualTo(CALLS);
		assertThat(distinct).isEqualTo(CALLS);
		assertThat(statistics.commitOutcomeUnknown()).isEqualTo(unknownBefore);
		assertThat(statistics.commitOutcomesResolved().get("committed")).isGreaterThanOrEqualTo(cuts);
	}

	@Configuration(proxyBeanMethods = false)
	static class Services {

		@Bean
		Work work(DataSource dataSource) {
			return new Work(new JdbcTemplate(dataSource));
		}

	}

	static class Work {

		private final JdbcTemplate jdbc;

		private final AtomicInteger invocations = new AtomicInteger();

		Work(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@RetryOnTransientFailure
		@Transactional(readOnly = true)
		public int read() {
			this.invocations.incrementAndGet();
			return this.jdbc.queryForObject("SELECT count(*) FROM item", Integer.class);
		}

		@RetryOnTransientFailure
		@Transactional
		public void write(int n) {
			this.jdbc.update("INSERT INTO write (n) VALUES (?)", n);
		}

	}

}
