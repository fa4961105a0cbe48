package dev.dbpool.datasource;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import dev.dbpool.DbPoolAutoConfiguration;
import dev.dbpool.common.InvalidDbPoolSettingException;
import dev.dbpool.config.DbPoolEnvironmentPostProcessor;
import dev.dbpool.retry.DbPoolRetryAutoConfiguration;
import dev.dbpool.testsupport.PgBouncerServer;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Isolation levels and read-only through a real PgBouncer in transaction pooling mode
 * with fewer server connections than clients, so that every transaction may land on
 * another server connection than the statement before it.
 */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PgBouncerIsolationTests {

	private static final Logger logger = LoggerFactory.getLogger(PgBouncerIsolationTests.class);

	private static final int THREADS = 8;

	private static final int CALLS_PER_THREAD = 25;

	private static TestDatabase database;

	private static PgBouncerServer bouncer;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DbPoolAutoConfiguration.class, DbPoolScalingAutoConfiguration.class,
				DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class, TransactionAutoConfiguration.class,
				DbPoolRetryAutoConfiguration.class))
		.withInitializer((context) -> new DbPoolEnvironmentPostProcessor()
			.postProcessEnvironment(context.getEnvironment(), new SpringApplication()))
		.withUserConfiguration(Counter.Config.class)
		.withPropertyValues("spring.application.name=isolation", "db.pool.retry.transactional=true",
				"db.pool.retry.max-attempts=50", "db.pool.retry.budget.enabled=false",
				"db.pool.retry.contention-initial-delay=1ms", "db.pool.retry.contention-max-delay=20ms");

	@BeforeAll
	static void startPgBouncer() {
		Optional<String> unavailable = PgBouncerServer.unavailableReason();
		assumeTrue(unavailable.isEmpty(), () -> "Skipping PgBouncer tests: " + unavailable.orElseThrow());
		database = TestDatabase.shared().newDatabase("pgb_isolation");
		database.execute("CREATE TABLE counter (id int PRIMARY KEY, value int NOT NULL)",
				"INSERT INTO counter VALUES (1, 0)", "CREATE TABLE note (text text)");
		bouncer = PgBouncerServer.startTransactionPooling(database, 5);
	}

	@AfterAll
	static void stopPgBouncer() {
		if (bouncer != null) {
			bouncer.close();
		}
	}

	private String url(String parameters) {
		return "db.pool.url=" + bouncer.databaseUrl() + "?pgbouncer=true&connection_limit=8" + parameters;
	}

	@Test
	void serializableAndRepeatableReadStormsLoseAndDoubleNothing() {
		this.contextRunner.withPropertyValues(url("")).run((context) -> {
			Counter counter = context.getBean(Counter.class);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			for (Isolation isolation : List.of(Isolation.SERIALIZABLE, Isolation.REPEATABLE_READ)) {
				jdbc.update("UPDATE counter SET value = 0 WHERE id = 1");
				AtomicInteger failed = new AtomicInteger();
				storm(() -> {
					try {
						if (isolation == Isolation.SERIALIZABLE) {
							counter.incrementSerializable();
						}
						else {
							counter.incrementRepeatableRead();
						}
					}
					catch (RuntimeException ex) {
						failed.incrementAndGet();
					}
				});
				int value = jdbc.queryForObject("SELECT value FROM counter WHERE id = 1", Integer.class);
				logger.info("{} increments through PgBouncer at {}: counter {}, {} calls failed",
						THREADS * CALLS_PER_THREAD, isolation, value, failed.get());
				assertThat(failed).hasValue(0);
				assertThat(value).isEqualTo(THREADS * CALLS_PER_THREAD);
			}
			// No session characteristics were left behind on any server connection.
			for (int i = 0; i < 50; i++) {
				assertThat(jdbc.queryForObject("SHOW transaction_isolation", String.class)).isEqualTo("read committed");
				assertThat(jdbc.queryForObject("SHOW transaction_read_only", String.class)).isEqualTo("off");
			}
		});
	}

	@Test
	void everyTransactionRunsAtTheLevelItAskedFor() {
		this.contextRunner.withPropertyValues(url("")).run((context) -> {
			PlatformTransactionManager manager = context.getBean(PlatformTransactionManager.class);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			int[] levels = { TransactionDefinition.ISOLATION_DEFAULT, TransactionDefinition.ISOLATION_READ_COMMITTED,
					TransactionDefinition.ISOLATION_REPEATABLE_READ, TransactionDefinition.ISOLATION_SERIALIZABLE };
			Map<String, AtomicInteger> mismatches = new ConcurrentHashMap<>();
			AtomicInteger transactions = new AtomicInteger();
			ExecutorService executor = Executors.newFixedThreadPool(THREADS);
			try {
				List<Future<?>> futures = new ArrayList<>();
				for (int t = 0; t < THREADS; t++) {
					int thread = t;
					futures.add(executor.submit(() -> {
						for (int i = 0; i < 125; i++) {
							int level = levels[(thread + i) % levels.length];
							boolean readOnly = (i % 3) == 0;
							TransactionTemplate template = new TransactionTemplate(manager);
							template.setIsolationLevel(level);
							template.setReadOnly(readOnly);
							template.executeWithoutResult((status) -> {
								String seen = jdbc.queryForObject("SHOW transaction_isolation", String.class);
								String seenReadOnly = jdbc.queryForObject("SHOW transaction_read_only", String.class);
								String expected = expectedLevel(level);
								if (!expected.equals(seen) || !(readOnly ? "on" : "off").equals(seenReadOnly)) {
									mismatches
										.computeIfAbsent(
												expected + "/" + readOnly + " saw " + seen + "/" + seenReadOnly,
												(key) -> new AtomicInteger())
										.incrementAndGet();
								}
							});
							transactions.incrementAndGet();
						}
					}));
				}
				for (Future<?> future : futures) {
					future.get(90, TimeUnit.SECONDS);
				}
			}
			finally {
				executor.shutdownNow();
			}
			logger.info("{} transactions of mixed levels through PgBouncer: mismatches {}", transactions.get(),
					mismatches);
			assertThat(transactions).hasValue(1000);
			assertThat(mismatches).isEmpty();
		});
	}

	@Test
	void readOnlyTransactionRefusesAWriteAndReportsItsLevel() {
		this.contextRunner.withPropertyValues(url("")).run((context) -> {
			Counter counter = context.getBean(Counter.class);
			Throwable thrown = catchThrowable(counter::writeInReadOnlyTransaction);
			assertThat(thrown).hasRootCauseInstanceOf(SQLException.class);
			assertThat(((SQLException) rootCause(thrown)).getSQLState()).isEqualTo("25006");
			assertThat(counter.isolationSeenInsideSerializable())
				.isEqualTo(java.sql.Connection.TRANSACTION_SERIALIZABLE);
		});
	}

	@Test
	void sessionStateIsWarnedOncePerShape(CapturedOutput output) {
		this.contextRunner.withPropertyValues(url("")).run((context) -> {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			jdbc.execute("SET work_mem = '64MB'");
			jdbc.execute("SET work_mem = '32MB'");
			jdbc.execute("SET LOCAL work_mem = '32MB'");
			jdbc.queryForList("SELECT pg_advisory_lock(42), pg_advisory_unlock(42)");
			jdbc.execute("CREATE TEMP TABLE scratch_ok (id int) ON COMMIT DROP");
		});
		assertThat(output.getOut().split("sets a session parameter", -1)).hasSize(2);
		assertThat(output).contains("'SET work_mem = ?'")
			.contains("use SET LOCAL")
			.contains("pg_advisory_xact_lock")
			.doesNotContain("'SET LOCAL")
			.doesNotContain("creates a temporary object");
	}

	@Test
	void preparedStatementsAndTemporaryTablesOfTheSessionAreWarnedOncePerShape(CapturedOutput output) {
		this.contextRunner.withPropertyValues(url("")).run((context) -> {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			// Each runs on whichever server connection PgBouncer hands out; what they
			// leave behind stays there.
			jdbc.execute("PREPARE pick_one AS SELECT 1");
			jdbc.execute("DEALLOCATE ALL");
			jdbc.execute("CREATE TEMP TABLE scratch_kept (id int)");
			jdbc.execute("DISCARD TEMP");
			jdbc.execute("PREPARE pick_two AS SELECT 2");
			jdbc.execute("DEALLOCATE ALL");
		});
		assertThat(output).contains("'PREPARE pick_one AS SELECT ?'")
			.contains("use a JDBC PreparedStatement")
			.contains("'CREATE TEMP TABLE scratch_kept (id int)'")
			.contains("add ON COMMIT DROP");
		assertThat(output.getOut().split("creates a temporary object", -1)).hasSize(2);
	}

	@Test
	void sessionStateCanBeRefused() {
		this.contextRunner.withPropertyValues(url(""), "db.pool.pgbouncer-session-state=fail").run((context) -> {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			Throwable thrown = catchThrowable(() -> jdbc.execute("LISTEN orders"));
			assertThat(rootCause(thrown)).isInstanceOf(SQLException.class)
				.hasMessageContaining("LISTEN on a dedicated connection");
			assertThat(((SQLException) rootCause(thrown)).getSQLState()).isEqualTo("0A000");
		});
	}

	@Test
	void unknownSessionStateModeFailsNamingTheSetting() {
		this.contextRunner.withPropertyValues(url(""), "db.pool.pgbouncer-session-state=loud")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.isInstanceOf(InvalidDbPoolSettingException.class)
				.hasMessageContaining("db.pool.pgbouncer-session-state")
				.hasMessageContaining("one of warn, fail, ignore"));
	}

	private static String expectedLevel(int level) {
		return switch (level) {
			case TransactionDefinition.ISOLATION_REPEATABLE_READ -> "repeatable read";
			case TransactionDefinition.ISOLATION_SERIALIZABLE -> "serializable";
			default -> "read committed";
		};
	}

	private static Throwable rootCause(Throwable thrown) {
		Throwable current = thrown;
		while (current.getCause() != null && current.getCause() != current) {
			current = current.getCause();
		}
		return current;
	}

	private static void storm(Runnable call) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(THREADS);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < THREADS; t++) {
				futures.add(executor.submit(() -> {
					for (int i = 0; i < CALLS_PER_THREAD; i++) {
						call.run();
					}
				}));
			}
			for (Future<?> future : futures) {
				future.get(90, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	/** Application code: a plain read-modify-write increment. */
	static class Counter {

		private final JdbcTemplate jdbc;

		Counter(DataSource dataSource) {
			this.jdbc = new JdbcTemplate(dataSource);
		}

		@Transactional(isolation = Isolation.SERIALIZABLE)
		public void incrementSerializable() {
			increment();
		}

		@Transactional(isolation = Isolation.REPEATABLE_READ)
		public void incrementRepeatableRead() {
			increment();
		}

		@Transactional(readOnly = true)
		public void writeInReadOnlyTransaction() {
			this.jdbc.update("INSERT INTO note VALUES ('x')");
		}

		@Transactional(isolation = Isolation.SERIALIZABLE)
		public int isolationSeenInsideSerializable() {
			return this.jdbc.execute((java.sql.Connection connection) -> connection.getTransactionIsolation());
		}

		private void increment() {
			int value = this.jdbc.queryForObject("SELECT value FROM counter WHERE id = 1", Integer.class);
			this.jdbc.update("UPDATE counter SET value = ? WHERE id = 1", value + 1);
		}

		@Configuration(proxyBeanMethods = false)
		static class Config {

			@Bean
			Counter counter(DataSource dataSource) {
				return new Counter(dataSource);
			}

		}

	}

}
