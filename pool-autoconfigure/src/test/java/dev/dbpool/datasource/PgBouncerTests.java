package dev.dbpool.datasource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import dev.dbpool.DbPoolAutoConfiguration;
import dev.dbpool.common.DatabaseStartupException;
import dev.dbpool.config.DbPoolEnvironmentPostProcessor;
import dev.dbpool.retry.DbPoolRetryAutoConfiguration;
import dev.dbpool.retry.RetryOnTransientFailure;
import dev.dbpool.retry.RetryStatistics;
import dev.dbpool.testsupport.PgBouncerServer;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The starter through a real PgBouncer in transaction pooling mode, with fewer server
 * connections than clients so that server connections really change hands between
 * transactions. Skipped, saying why, when PgBouncer is not installed.
 */
@ExtendWith(OutputCaptureExtension.class)
class PgBouncerTests {

	private static final Logger logger = LoggerFactory.getLogger(PgBouncerTests.class);

	private static final int THREADS = 20;

	private static final int STATEMENTS_PER_THREAD = 10_000;

	private static TestDatabase database;

	/** Rejects unknown startup parameters, as PgBouncer does by default. */
	private static PgBouncerServer strictBouncer;

	/** Drops the 'options' startup parameter, as many installations are configured. */
	private static PgBouncerServer lenientBouncer;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DbPoolAutoConfiguration.class, DbPoolScalingAutoConfiguration.class,
				DataSourceAutoConfiguration.class))
		.withInitializer((context) -> new DbPoolEnvironmentPostProcessor()
			.postProcessEnvironment(context.getEnvironment(), new SpringApplication()))
		.withPropertyValues("spring.application.name=ledger");

	@BeforeAll
	static void startPgBouncer() {
		Optional<String> unavailable = PgBouncerServer.unavailableReason();
		assumeTrue(unavailable.isEmpty(), () -> "Skipping PgBouncer tests: " + unavailable.orElseThrow());
		database = TestDatabase.shared().newDatabase("pgbouncer");
		database.execute("CREATE TABLE entry (id bigserial PRIMARY KEY, worker int NOT NULL, amount int NOT NULL)");
		strictBouncer = PgBouncerServer.startTransactionPooling(database, 5);
		// Its own database, so that its server connections do not blur the pause test.
		lenientBouncer = PgBouncerServer.startTransactionPooling(TestDatabase.shared().newDatabase("pgbouncer_lenient"),
				5, List.of("options"));
	}

	@AfterAll
	static void stopPgBouncer() {
		if (strictBouncer != null) {
			strictBouncer.close();
		}
		if (lenientBouncer != null) {
			lenientBouncer.close();
		}
	}

	@Test
	void preparedStatementsFromManyThreadsRunWithoutErrors() {
		this.contextRunner
			.withPropertyValues("db.pool.url=" + strictBouncer.databaseUrl() + "?pgbouncer=true&connection_limit=20")
			.run((context) -> {
				DataSource dataSource = context.getBean(DataSource.class);
				long start = System.nanoTime();
				LoadResult result = runLoad(dataSource, THREADS, STATEMENTS_PER_THREAD);
				long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
				logger.info(
						"Through PgBouncer (transaction mode, 5 server connections): {} threads x {} prepared "
								+ "statements in {} ms, {} errors",
						THREADS, STATEMENTS_PER_THREAD, millis, result.errors().size());
				assertThat(result.errors()).isEmpty();
				assertThat(result.statements()).isEqualTo((long) THREADS * STATEMENTS_PER_THREAD);
			});
	}

	@Test
	void serverSidePreparedStatementsBreakThroughTransactionPoolingWithoutPgbouncerSetting() {
		this.contextRunner.withPropertyValues("db.pool.url=" + lenientBouncer.databaseUrl() + "?connection_limit=20")
			.run((context) -> {
				LoadResult result = runLoad(context.getBean(DataSource.class), THREADS, 50);
				assertThat(result.errors()).isNotEmpty().anyMatch((error) -> error.contains("prepared statement \"S_"));
			});
	}

	@Test
	void batchesAndTransactionsWork() {
		this.contextRunner
			.withPropertyValues("db.pool.url=" + strictBouncer.databaseUrl() + "?pgbouncer=true&connection_limit=8")
			.run((context) -> {
				DataSource dataSource = context.getBean(DataSource.class);
				ExecutorService executor = Executors.newFixedThreadPool(8);
				try {
					List<CompletableFuture<Void>> workers = new ArrayList<>();
					for (int worker = 1000; worker < 1008; worker++) {
						int id = worker;
						workers.add(CompletableFuture.runAsync(() -> batchAndTransactions(dataSource, id), executor));
					}
					CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
				}
				finally {
					executor.shutdownNow();
				}
				try (Connection connection = dataSource.getConnection();
						Statement statement = connection.createStatement();
						ResultSet rows = statement.executeQuery(
								"SELECT count(*), sum(amount) FROM entry WHERE worker BETWEEN 1000 AND 1007")) {
					rows.next();
					// Per worker: a batch of 100 rows of 1, 20 committed rows of 10; the
					// rolled back rows are gone.
					assertThat(rows.getLong(1)).isEqualTo(8 * 120);
					assertThat(rows.getLong(2)).isEqualTo(8 * (100 + 20 * 10));
				}
			});
	}

	@Test
	void pauseAndResumeMidLoadLoseNothing() {
		this.contextRunner
			.withPropertyValues("db.pool.url=" + strictBouncer.databaseUrl() + "?pgbouncer=true&connection_limit=8")
			.run((context) -> {
				DataSource dataSource = context.getBean(DataSource.class);
				AtomicBoolean running = new AtomicBoolean(true);
				AtomicLong completed = new AtomicLong();
				ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
				ExecutorService executor = Executors.newFixedThreadPool(8);
				try {
					for (int i = 0; i < 8; i++) {
						executor.execute(() -> {
							while (running.get()) {
								try {
									selectSum(dataSource, 1, 2);
									completed.incrementAndGet();
								}
								catch (SQLException ex) {
									errors.add(ex.getSQLState() + " " + ex.getMessage());
								}
							}
						});
					}
					await().atMost(Duration.ofSeconds(20)).until(() -> completed.get() > 200);
					strictBouncer.pause();
					try {
						// Paused: PgBouncer has let go of every server connection, so the
						// load threads are held by PgBouncer, not running.
						await().atMost(Duration.ofSeconds(20)).until(() -> serverConnectionsFromPgBouncer() == 0);
					}
					finally {
						strictBouncer.resume();
					}
					long atPause = completed.get();
					await().atMost(Duration.ofSeconds(20)).until(() -> completed.get() > atPause + 200);
				}
				finally {
					running.set(false);
					executor.shutdown();
					executor.awaitTermination(30, TimeUnit.SECONDS);
				}
				assertThat(errors).isEmpty();
			});
	}

	@Test
	void restartOfPgBouncerMidLoadIsRetried() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(DataSourceTransactionManagerAutoConfiguration.class,
					TransactionAutoConfiguration.class, DbPoolRetryAutoConfiguration.class))
			.withUserConfiguration(EntryWriter.Config.class)
			.withPropertyValues("db.pool.url=" + strictBouncer.databaseUrl() + "?pgbouncer=true&connection_limit=8",
					"db.pool.pool-timeout=2s", "db.pool.retry.max-attempts=10", "db.pool.retry.initial-delay=100ms",
					"db.pool.retry.max-delay=1s", "db.pool.retry.budget.enabled=false")
			.run((context) -> {
				EntryWriter writer = context.getBean(EntryWriter.class);
				AtomicBoolean running = new AtomicBoolean(true);
				AtomicLong ids = new AtomicLong(1_000_000);
				Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
				ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
				ExecutorService executor = Executors.newFixedThreadPool(8);
				try {
					for (int i = 0; i < 8; i++) {
						executor.execute(() -> {
							while (running.get()) {
								long id = ids.incrementAndGet();
								try {
									writer.write(id);
									acknowledged.add(id);
								}
								catch (RuntimeException ex) {
									errors.add(id + ": " + ex);
								}
							}
						});
					}
					await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged.size() > 200);
					long restartStart = System.nanoTime();
					strictBouncer.restart();
					long restarted = System.nanoTime();
					int atRestart = acknowledged.size();
					await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() > atRestart + 200);
					logger.info(
							"PgBouncer stopped and started again in {} ms; 200 more writes acknowledged {} ms "
									+ "after the restart began",
							TimeUnit.NANOSECONDS.toMillis(restarted - restartStart),
							TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartStart));
				}
				finally {
					running.set(false);
					executor.shutdown();
					executor.awaitTermination(30, TimeUnit.SECONDS);
				}
				assertThat(errors).isEmpty();
				assertThat(context.getBean(RetryStatistics.class).retries()).isPositive();
				Set<Long> stored = new HashSet<>(new JdbcTemplate(context.getBean(DataSource.class))
					.queryForList("SELECT id FROM entry WHERE worker = 2000", Long.class));
				assertThat(stored).containsAll(acknowledged);
			});
	}

	@Test
	void pgbouncerOffAgainstStrictPgBouncerFailsFastSayingWhatToSet() {
		long start = System.nanoTime();
		this.contextRunner.withPropertyValues("db.pool.url=" + strictBouncer.databaseUrl()).run((context) -> {
			assertThat(context).hasFailed();
			DatabaseStartupException failure = findCause(context.getStartupFailure(), DatabaseStartupException.class);
			assertThat(failure.getMessage()).contains("unsupported startup parameter");
			assertThat(failure.getAction()).contains("db.pool.pgbouncer=true");
		});
		// Well below the 60s startup timeout: this failure does not cure itself.
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
	}

	@Test
	void pgbouncerOffBehindTransactionPoolingWarnsAboutPreparedStatements(CapturedOutput output) {
		this.contextRunner.withPropertyValues("db.pool.url=" + lenientBouncer.databaseUrl()).run((context) -> {
			assertThat(context).hasNotFailed();
			PoolerDetection detection = context.getBean(ServerSetupInspection.class).detection();
			assertThat(detection).isNotNull();
			assertThat(detection.kind()).isEqualTo(PoolerDetection.Kind.POOLER_TRANSACTION_MODE);
			assertThat(output).contains("is PgBouncer in transaction pooling mode")
				.contains("Set db.pool.pgbouncer=true")
				.contains("Connection budget not checked");
		});
	}

	@Test
	void pgbouncerOnBehindPgBouncerWarnsThatTimeoutsAreNotInForce(CapturedOutput output) {
		this.contextRunner.withPropertyValues("db.pool.url=" + strictBouncer.databaseUrl() + "?pgbouncer=true")
			.run((context) -> {
				assertThat(context.getBean(ServerSetupInspection.class).detection().pooler()).isTrue();
				assertThat(output).contains("db.pool.query-timeout (30s) is not in force behind PgBouncer")
					.contains("ALTER ROLE <user> SET statement_timeout = '30000ms'")
					.doesNotContain("is PgBouncer in transaction pooling mode");
			});
	}

	@Test
	void pgbouncerOnAgainstPostgresItselfWarns(CapturedOutput output) {
		this.contextRunner.withPropertyValues("db.pool.url=" + database.databaseUrl() + "?pgbouncer=true")
			.run((context) -> {
				assertThat(context.getBean(ServerSetupInspection.class).detection().kind())
					.isEqualTo(PoolerDetection.Kind.DIRECT);
				assertThat(output).contains(
						"pgbouncer=true, but localhost:" + database.port() + " is PostgreSQL itself, not PgBouncer");
			});
	}

	private static LoadResult runLoad(DataSource dataSource, int threads, int statementsPerThread) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
		AtomicLong statements = new AtomicLong();
		try {
			List<CompletableFuture<Void>> workers = new ArrayList<>();
			for (int thread = 0; thread < threads; thread++) {
				int offset = thread;
				workers.add(CompletableFuture.runAsync(() -> {
					for (int i = 0; i < statementsPerThread; i++) {
						try {
							long sum = selectSum(dataSource, offset, i);
							if (sum != offset + i) {
								errors.add("wrong result " + sum + " for " + offset + " + " + i);
							}
							statements.incrementAndGet();
						}
						catch (SQLException ex) {
							if (errors.size() < 100) {
								errors.add(ex.getSQLState() + " " + ex.getMessage());
							}
						}
					}
				}, executor));
			}
			CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
		}
		finally {
			executor.shutdownNow();
		}
		return new LoadResult(statements.get(), List.copyOf(errors));
	}

	private static long selectSum(DataSource dataSource, int a, int b) throws SQLException {
		try (Connection connection = dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement("SELECT ?::int + ?::int")) {
			statement.setInt(1, a);
			statement.setInt(2, b);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getLong(1);
			}
		}
	}

	private static void batchAndTransactions(DataSource dataSource, int worker) {
		try (Connection connection = dataSource.getConnection()) {
			try (PreparedStatement insert = connection
				.prepareStatement("INSERT INTO entry (worker, amount) VALUES (?, ?)")) {
				for (int i = 0; i < 100; i++) {
					insert.setInt(1, worker);
					insert.setInt(2, 1);
					insert.addBatch();
				}
				assertThat(insert.executeBatch()).hasSize(100);
			}
			connection.setAutoCommit(false);
			for (int i = 0; i < 40; i++) {
				try (PreparedStatement insert = connection
					.prepareStatement("INSERT INTO entry (worker, amount) VALUES (?, ?)")) {
					insert.setInt(1, worker);
					insert.setInt(2, 10);
					insert.executeUpdate();
				}
				try (PreparedStatement check = connection
					.prepareStatement("SELECT count(*) FROM entry WHERE worker = ? AND amount = 10")) {
					check.setInt(1, worker);
					try (ResultSet rows = check.executeQuery()) {
						rows.next();
						// Inside the transaction its own uncommitted row is visible: the
						// whole transaction ran on one server connection.
						assertThat(rows.getLong(1)).isEqualTo((i + 1) / 2 + 1);
					}
				}
				if (i % 2 == 0) {
					connection.commit();
				}
				else {
					connection.rollback();
				}
			}
			connection.setAutoCommit(true);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static long serverConnectionsFromPgBouncer() throws SQLException {
		try (Connection connection = database.connect();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = '"
						+ database.database() + "' AND pid <> pg_backend_pid()")) {
			result.next();
			return result.getLong(1);
		}
	}

	private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		throw new AssertionError("No " + type.getSimpleName() + " in " + failure);
	}

	private record LoadResult(long statements, List<String> errors) {
	}

	/**
	 * Application code: an idempotent write, retried when PgBouncer drops connections.
	 */
	static class EntryWriter {

		private final JdbcTemplate jdbc;

		EntryWriter(DataSource dataSource) {
			this.jdbc = new JdbcTemplate(dataSource);
		}

		@RetryOnTransientFailure(idempotent = true)
		@Transactional
		public void write(long id) {
			this.jdbc.update("INSERT INTO entry (id, worker, amount) VALUES (?, 2000, 1) ON CONFLICT (id) DO NOTHING",
					id);
		}

		@Configuration(proxyBeanMethods = false)
		static class Config {

			@Bean
			EntryWriter entryWriter(DataSource dataSource) {
				return new EntryWriter(dataSource);
			}

		}

	}

}
