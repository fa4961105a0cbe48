package dev.dbpool.retry;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.embedded.EmbeddedPostgresServer;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Retry while PostgreSQL restarts or is down, on a private server so that stopping it
 * does not disturb the other test classes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RetryDuringOutageTest {

	private static final AtomicInteger ATTEMPTS = new AtomicInteger();

	private static EmbeddedPostgresServer server;

	private static TestDatabase database;

	@BeforeAll
	static void startServer() {
		server = EmbeddedPostgresServer.builder().start();
		database = TestDatabase.embedded(server);
		database.execute("CREATE TABLE inserts (id bigint NOT NULL)");
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	void insertsAcknowledgedDuringARestartArePresentExactlyOnce() throws Exception {
		TransientFailureClassifier classifier = new TransientFailureClassifier();
		try (HikariDataSource dataSource = RetryTestContexts.pool(database, "retry-restart",
				(config) -> config.setConnectionTimeout(1000));
				ConfigurableApplicationContext context = RetryTestContexts.start(dataSource, Services.class,
						"db.pool.retry.max-attempts=10", "db.pool.retry.initial-delay=100ms",
						"db.pool.retry.max-delay=1s")) {
			Inserter inserter = context.getBean(Inserter.class);
			AtomicLong ids = new AtomicLong();
			Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
			Set<Long> unknownOutcome = ConcurrentHashMap.newKeySet();
			Set<Long> exhausted = ConcurrentHashMap.newKeySet();
			List<Throwable> unexpected = Collections.synchronizedList(new ArrayList<>());
			AtomicBoolean running = new AtomicBoolean(true);
			ExecutorService workers = Executors.newFixedThreadPool(4);
			List<Future<?>> futures = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				futures.add(workers.submit(() -> {
					while (running.get()) {
						long id = ids.incrementAndGet();
						try {
							inserter.insert(id);
							acknowledged.add(id);
						}
						catch (CommitOutcomeUnknownException ex) {
							unknownOutcome.add(id);
						}
						catch (Throwable ex) {
							if (classifier.classify(ex).isRetryable()) {
								exhausted.add(id);
							}
							else {
								unexpected.add(ex);
							}
						}
					}
				}));
			}
			try {
				await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 50);
				server.restart();
				long acceptingSince = System.nanoTime();
				int beforeRecovery = acknowledged.size();
				await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= beforeRecovery + 50);
				long recoveredAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - acceptingSince);
				System.out.println("Pool served 50 more inserts " + recoveredAfterMillis
						+ " ms after the restarted server accepted connections");
			}
			finally {
				running.set(false);
				for (Future<?> future : futures) {
					future.get(60, TimeUnit.SECONDS);
				}
				workers.shutdownNow();
			}
			Map<Long, Long> rows = new ConcurrentHashMap<>();
			new JdbcTemplate(dataSource).query("SELECT id, count(*) FROM inserts GROUP BY id",
					(RowCallbackHandler) (row) -> rows.put(row.getLong(1), row.getLong(2)));
			RetryStatistics statistics = context.getBean(RetryStatistics.class);
			System.out.println("Restart: acknowledged=" + acknowledged.size() + " unknownOutcome="
					+ unknownOutcome.size() + " exhausted=" + exhausted.size() + " retries=" + statistics.retries()
					+ " bySqlState=" + statistics.retriesBySqlState());
			assertThat(unexpected).isEmpty();
			assertThat(statistics.retries()).isPositive();
			assertThat(rows.values()).allMatch((count) -> count == 1);
			assertThat(rows.keySet()).containsAll(acknowledged);
			assertThat(exhausted).noneMatch(rows::containsKey);
			assertThat(acknowledged.size() + unknownOutcome.size() + exhausted.size()).isEqualTo((int) ids.get());
			try (Connection connection = dataSource.getConnection();
					Statement statement = connection.createStatement()) {
				assertThat(statement.execute("SELECT 1")).isTrue();
			}
		}
	}

	@Test
	void retriesStayWithinTheBudgetWhileTheDatabaseIsDown() throws Exception {
		server.stop();
		try (HikariDataSource dataSource = RetryTestContexts.pool(database, "retry-budget",
				(config) -> config.setConnectionTimeout(250));
				ConfigurableApplicationContext context = RetryTestContexts.start(dataSource, Services.class,
						"db.pool.retry.max-attempts=3", "db.pool.retry.initial-delay=10ms",
						"db.pool.retry.budget.ratio=0.1", "db.pool.retry.budget.min-retries-per-second=1",
						"db.pool.retry.budget.window=10s")) {
			Inserter inserter = context.getBean(Inserter.class);
			ATTEMPTS.set(0);
			List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
			CountDownLatch start = new CountDownLatch(1);
			ExecutorService callers = Executors.newFixedThreadPool(100);
			try {
				List<Future<?>> futures = new ArrayList<>();
				for (int i = 0; i < 100; i++) {
					futures.add(callers.submit(() -> {
						start.await();
						try {
							inserter.select();
						}
						catch (Throwable ex) {
							failures.add(ex);
						}
						return null;
					}));
				}
				start.countDown();
				for (Future<?> future : futures) {
					future.get(60, TimeUnit.SECONDS);
				}
			}
			finally {
				callers.shutdownNow();
			}
			RetryStatistics statistics = context.getBean(RetryStatistics.class);
			System.out.println("Database down: 100 calls made " + ATTEMPTS.get() + " attempts, " + statistics.retries()
					+ " retries, " + statistics.budgetRejections() + " budget rejections");
			assertThat(failures).hasSize(100);
			// 0.1 x 100 calls + 1 per second x 10 s: at most 20 retries, not 200.
			assertThat(ATTEMPTS.get()).isLessThanOrEqualTo(120);
			assertThat(statistics.retries()).isLessThanOrEqualTo(20);
			assertThat(statistics.budgetRejections()).isPositive();
			assertThat(failures).filteredOn(RetryBudgetExhaustedException.class::isInstance)
				.isNotEmpty()
				.allSatisfy((ex) -> assertThat(ex).hasMessageContaining("db.pool.retry.budget.ratio"));
		}
		finally {
			server.startAgain();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Services {

		@Bean
		Inserter inserter(DataSource dataSource) {
			return new Inserter(new JdbcTemplate(dataSource));
		}

	}

	static class Inserter {

		private final JdbcTemplate jdbc;

		Inserter(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@RetryOnTransientFailure
		@Transactional
		public void insert(long id) {
			this.jdbc.update("INSERT INTO inserts (id) VALUES (?)", id);
			// Most of each transaction is spent in a statement rather than in COMMIT, so
			// that a restart almost surely hits a statement (retried) and not only
			// commits
			// (unknown outcome): the test must see both kinds, not just one by chance.
			this.jdbc.execute("SELECT pg_sleep(0.01)");
		}

		@RetryOnTransientFailure
		public int select() {
			ATTEMPTS.incrementAndGet();
			return this.jdbc.queryForObject("SELECT 1", Integer.class);
		}

	}

}
