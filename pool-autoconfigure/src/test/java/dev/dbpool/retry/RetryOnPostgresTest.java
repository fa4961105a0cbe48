package dev.dbpool.retry;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

import dev.dbpool.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Retry against a real PostgreSQL: contention, deadlocks, errors that must not be
 * retried, nested boundaries and terminated connections.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RetryOnPostgresTest {

	// Static: the operations bean is a class-based proxy, whose own fields are not the
	// target's.
	private static final AtomicInteger INVOCATIONS = new AtomicInteger();

	private static final AtomicReference<RuntimeException> LAST_FAILURE = new AtomicReference<>();

	private static final List<Long> TRANSACTION_IDS = Collections.synchronizedList(new ArrayList<>());

	private static TestDatabase database;

	private static HikariDataSource dataSource;

	private static ConfigurableApplicationContext context;

	private static JdbcTemplate jdbc;

	private static RetriedOperations operations;

	private static RetryStatistics statistics;

	@BeforeAll
	static void startContext() {
		database = TestDatabase.shared().newDatabase("retry");
		database.execute("CREATE TABLE counter (id int PRIMARY KEY, value int NOT NULL)",
				"CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL)",
				"CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL)",
				"CREATE TABLE events (id bigserial, tag text NOT NULL)");
		dataSource = RetryTestContexts.pool(database, "retry-on-postgres", (config) -> {
			config.setMaximumPoolSize(10);
			config.setMinimumIdle(10);
		});
		context = RetryTestContexts.start(dataSource, Services.class);
		jdbc = new JdbcTemplate(dataSource);
		operations = context.getBean(RetriedOperations.class);
		statistics = context.getBean(RetryStatistics.class);
	}

	@AfterAll
	static void close() {
		context.close();
		dataSource.close();
	}

	@BeforeEach
	void reset() {
		jdbc.execute("TRUNCATE counter, accounts, items, events");
		INVOCATIONS.set(0);
		LAST_FAILURE.set(null);
		TRANSACTION_IDS.clear();
	}

	@Test
	void serializationStormEndsWithEveryIncrementCountedOnce() throws Exception {
		jdbc.update("INSERT INTO counter VALUES (1, 0)");
		long retriesBefore = statistics.retriesBySqlState().getOrDefault("40001", 0L);
		AtomicInteger successes = new AtomicInteger();
		List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int thread = 0; thread < 8; thread++) {
				futures.add(threads.submit(() -> {
					for (int i = 0; i < 10; i++) {
						try {
							operations.incrementSerializable();
							successes.incrementAndGet();
						}
						catch (Throwable ex) {
							failures.add(ex);
						}
					}
				}));
			}
			for (Future<?> future : futures) {
				future.get(90, TimeUnit.SECONDS);
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(failures).isEmpty();
		assertThat(successes).hasValue(80);
		assertThat(jdbc.queryForObject("SELECT value FROM counter WHERE id = 1", Integer.class)).isEqualTo(80);
		assertThat(statistics.retriesBySqlState().getOrDefault("40001", 0L)).isGreaterThan(retriesBefore);
	}

	@Test
	void deadlockedTransactionsBothCommit() throws Exception {
		jdbc.update("INSERT INTO accounts VALUES (1, 0), (2, 0)");
		long retriesBefore = statistics.retriesBySqlState().getOrDefault("40P01", 0L);
		CyclicBarrier bothHoldTheirFirstLock = new CyclicBarrier(2);
		AtomicInteger attempts = new AtomicInteger();
		ExecutorService threads = Executors.newFixedThreadPool(2);
		try {
			Future<?> first = threads.submit(() -> operations.lockInOrder(1, 2, bothHoldTheirFirstLock, attempts));
			Future<?> second = threads.submit(() -> operations.lockInOrder(2, 1, bothHoldTheirFirstLock, attempts));
			first.get(60, TimeUnit.SECONDS);
			second.get(60, TimeUnit.SECONDS);
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(jdbc.queryForList("SELECT balance FROM accounts ORDER BY id", Integer.class)).containsExactly(2, 2);
		assertThat(attempts).hasValue(3);
		assertThat(statistics.retriesBySqlState().getOrDefault("40P01", 0L)).isEqualTo(retriesBefore + 1);
	}

	@Test
	void uniqueViolationIsNotRetried() {
		operations.insertItem(1);
		INVOCATIONS.set(0);
		Throwable thrown = catchThrowable(() -> operations.insertItem(1));
		assertThat(thrown).isInstanceOf(DuplicateKeyException.class).isSameAs(LAST_FAILURE.get());
		assertThat(INVOCATIONS).hasValue(1);
	}

	@Test
	void syntaxErrorIsNotRetried() {
		Throwable thrown = catchThrowable(() -> operations.runSql("SELEC 1"));
		assertThat(thrown).isInstanceOf(BadSqlGrammarException.class).isSameAs(LAST_FAILURE.get());
		assertThat(INVOCATIONS).hasValue(1);
	}

	@Test
	void badInputIsNotRetried() {
		Throwable thrown = catchThrowable(() -> operations.runSql("SELECT 'not a number'::int"));
		assertThat(thrown).isInstanceOf(DataIntegrityViolationException.class).isSameAs(LAST_FAILURE.get());
		assertThat(TransientFailureClassifier.sqlState(thrown)).isEqualTo("22P02");
		assertThat(INVOCATIONS).hasValue(1);
	}

	@Test
	void wrongPasswordIsNotRetried() {
		TransactionRetry retry = context.getBean(TransactionRetry.class);
		AtomicInteger invocations = new AtomicInteger();
		AtomicReference<Throwable> original = new AtomicReference<>();
		try (HikariDataSource wrongPassword = RetryTestContexts.pool(database.jdbcUrl(), database.username(),
				"not-the-password", "retry-wrong-password", (config) -> config.setConnectionTimeout(500))) {
			Throwable thrown = catchThrowable(() -> retry.call(() -> {
				invocations.incrementAndGet();
				try (Connection connection = wrongPassword.getConnection()) {
					return connection.isValid(1);
				}
				catch (SQLException ex) {
					original.set(ex);
					throw ex;
				}
			}));
			assertThat(thrown).isSameAs(original.get());
			assertThat(TransientFailureClassifier.sqlState(thrown)).isEqualTo("28P01");
			assertThat(thrown.getMessage()).doesNotContain("not-the-password");
		}
		assertThat(invocations).hasValue(1);
	}

	@Test
	void everyAttemptRunsInItsOwnTransaction() {
		List<Long> transactionIds = operations.failTwiceWithSerializationFailure();
		assertThat(transactionIds).hasSize(3).doesNotHaveDuplicates();
		assertThat(jdbc.queryForObject("SELECT count(*) FROM events WHERE tag = 'own-transaction'", Long.class))
			.isEqualTo(1);
	}

	@Test
	void retriedMethodInsideAnOuterTransactionDoesNotRetryByItself() {
		OuterService outer = context.getBean(OuterService.class);
		INVOCATIONS.set(0);
		Throwable thrown = catchThrowable(outer::callRetriedMethodInsideTransaction);
		assertThat(TransientFailureClassifier.sqlState(thrown)).isEqualTo("40001");
		assertThat(INVOCATIONS).hasValue(1);
		// The same method on its own is retried: the count above is not an accident.
		INVOCATIONS.set(0);
		catchThrowable(operations::alwaysFailWithSerializationFailure);
		assertThat(INVOCATIONS).hasValue(3);
	}

	@Test
	void retryingTransactionTemplateRunsEachAttemptInANewTransaction() {
		RetryingTransactionTemplate template = context.getBean(RetryingTransactionTemplate.class)
			.withIsolationLevel(TransactionDefinition.ISOLATION_SERIALIZABLE);
		Set<Long> transactionIds = ConcurrentHashMap.newKeySet();
		AtomicInteger attempts = new AtomicInteger();
		String result = template.execute((status) -> {
			transactionIds.add(jdbc.queryForObject("SELECT txid_current()", Long.class));
			jdbc.update("INSERT INTO events (tag) VALUES ('template')");
			if (attempts.incrementAndGet() < 3) {
				raise("40001");
			}
			return "done";
		});
		assertThat(result).isEqualTo("done");
		assertThat(transactionIds).hasSize(3);
		assertThat(jdbc.queryForObject("SELECT count(*) FROM events WHERE tag = 'template'", Long.class)).isEqualTo(1);
	}

	@Test
	void terminatedIdleConnectionsAreInvisibleToCallers() throws Exception {
		await().atMost(Duration.ofSeconds(30)).until(() -> dataSource.getHikariPoolMXBean().getIdleConnections() == 10);
		List<Boolean> terminated = jdbc.queryForList(
				"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
						+ "WHERE application_name = 'retry-on-postgres' AND state = 'idle' AND pid <> pg_backend_pid()",
				Boolean.class);
		assertThat(terminated).isNotEmpty();
		List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int thread = 0; thread < 4; thread++) {
				futures.add(threads.submit(() -> {
					for (int i = 0; i < 10; i++) {
						try {
							operations.recordEvent("after-terminate");
						}
						catch (Throwable ex) {
							failures.add(ex);
						}
					}
				}));
			}
			for (Future<?> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(failures).isEmpty();
		assertThat(jdbc.queryForObject("SELECT count(*) FROM events WHERE tag = 'after-terminate'", Long.class))
			.isEqualTo(40);
	}

	static void raise(String sqlState) {
		jdbc.execute("DO $$ BEGIN RAISE EXCEPTION 'raised by the test' USING ERRCODE = '" + sqlState + "'; END $$");
	}

	@Configuration(proxyBeanMethods = false)
	static class Services {

		@Bean
		RetriedOperations retriedOperations(DataSource dataSource) {
			return new RetriedOperations(new JdbcTemplate(dataSource));
		}

		@Bean
		OuterService outerService(RetriedOperations operations) {
			return new OuterService(operations);
		}

	}

	static class RetriedOperations {

		private final JdbcTemplate jdbc;

		RetriedOperations(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@RetryOnTransientFailure(maxAttempts = 100)
		@Transactional(isolation = Isolation.SERIALIZABLE)
		public void incrementSerializable() {
			int value = this.jdbc.queryForObject("SELECT value FROM counter WHERE id = 1", Integer.class);
			this.jdbc.update("UPDATE counter SET value = ? WHERE id = 1", value + 1);
		}

		@RetryOnTransientFailure
		@Transactional
		public void lockInOrder(int first, int second, CyclicBarrier barrier, AtomicInteger attempts) {
			this.jdbc.execute("SET LOCAL deadlock_timeout = '100ms'");
			this.jdbc.update("UPDATE accounts SET balance = balance + 1 WHERE id = ?", first);
			if (attempts.incrementAndGet() <= 2) {
				try {
					barrier.await(30, TimeUnit.SECONDS);
				}
				catch (Exception ex) {
					throw new IllegalStateException("The other transaction did not take its first lock", ex);
				}
			}
			this.jdbc.update("UPDATE accounts SET balance = balance + 1 WHERE id = ?", second);
		}

		@RetryOnTransientFailure
		@Transactional
		public void insertItem(int id) {
			INVOCATIONS.incrementAndGet();
			try {
				this.jdbc.update("INSERT INTO items VALUES (?, 'item')", id);
			}
			catch (RuntimeException ex) {
				LAST_FAILURE.set(ex);
				throw ex;
			}
		}

		@RetryOnTransientFailure
		@Transactional
		public void runSql(String sql) {
			INVOCATIONS.set(1);
			try {
				this.jdbc.execute(sql);
			}
			catch (RuntimeException ex) {
				LAST_FAILURE.set(ex);
				throw ex;
			}
		}

		@RetryOnTransientFailure
		@Transactional
		public List<Long> failTwiceWithSerializationFailure() {
			this.jdbc.update("INSERT INTO events (tag) VALUES ('own-transaction')");
			long transactionId = this.jdbc.queryForObject("SELECT txid_current()", Long.class);
			TRANSACTION_IDS.add(transactionId);
			if (TRANSACTION_IDS.size() < 3) {
				raise("40001");
			}
			List<Long> seen = new ArrayList<>(TRANSACTION_IDS);
			TRANSACTION_IDS.clear();
			return seen;
		}

		@RetryOnTransientFailure
		@Transactional
		public void alwaysFailWithSerializationFailure() {
			INVOCATIONS.incrementAndGet();
			raise("40001");
		}

		@RetryOnTransientFailure
		@Transactional
		public void recordEvent(String tag) {
			this.jdbc.update("INSERT INTO events (tag) VALUES (?)", tag);
		}

	}

	static class OuterService {

		private final RetriedOperations operations;

		OuterService(RetriedOperations operations) {
			this.operations = operations;
		}

		@Transactional
		public void callRetriedMethodInsideTransaction() {
			this.operations.alwaysFailWithSerializationFailure();
		}

	}

}
