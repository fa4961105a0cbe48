package dev.dbpool.datasource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import dev.dbpool.DbPoolAutoConfiguration;
import dev.dbpool.config.DbPoolEnvironmentPostProcessor;
import dev.dbpool.config.DbPoolSettings;
import dev.dbpool.config.PoolSettingTable;
import dev.dbpool.retry.DbPoolRetryAutoConfiguration;
import dev.dbpool.retry.RetryOnTransientFailure;
import dev.dbpool.retry.TransientRetryListener;
import dev.dbpool.testsupport.FaultProxy;
import dev.dbpool.testsupport.TestDatabase;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server host that vanishes without a reset (a black hole), then a fresh host at the
 * same address a few seconds later whose backends know nothing of the pool's connections:
 * the managed-database failover, or a pod whose IP is reused. Calls keep running all the
 * while; none may fail, none may wait on a dead connection past its bound, and the pool
 * must be whole soon after the network returns.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class VanishedHostTests {

	private static final Logger logger = LoggerFactory.getLogger(VanishedHostTests.class);

	private static final int WORKERS = 4;

	private static final long HOLE_MILLIS = 3000;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DbPoolAutoConfiguration.class, DbPoolScalingAutoConfiguration.class,
				DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class, TransactionAutoConfiguration.class,
				DbPoolRetryAutoConfiguration.class))
		.withInitializer((context) -> new DbPoolEnvironmentPostProcessor()
			.postProcessEnvironment(context.getEnvironment(), new SpringApplication()))
		.withUserConfiguration(Reader.Config.class)
		.withPropertyValues("spring.application.name=vanish");

	/**
	 * With a connection slot free under the connection limit, the backend check opens its
	 * short connection, finds the old backends gone and aborts their connections.
	 */
	@Test
	void callsSurviveAVanishedHostAndThePoolIsWholeSoonAfterAFreshHostAnswers() throws Exception {
		Measured measured = vanish(WORKERS + 1, "db.pool.min-idle=0");
		// Within 5 s of the return, not after the 15 s socket timeout.
		assertThat(measured.whole()).as(measured.toString()).isLessThan(5000);
		assertThat(measured.longestWait()).as(measured.toString()).isLessThan(HOLE_MILLIS + 5000);
	}

	/**
	 * With every connection of the limit stuck, the backend check has no connection to
	 * ask on (the instance never exceeds its limit): the socket timeout frees them.
	 */
	@Test
	void aPoolStuckAtItsConnectionLimitIsWholeOnceTheSocketTimeoutFreesIt() throws Exception {
		Measured measured = vanish(WORKERS);
		// The socket timeout is 15 s, counted from the start of the 3 s hole.
		assertThat(measured.whole()).as(measured.toString()).isLessThan(15000);
	}

	/**
	 * What one run measured, in milliseconds.
	 *
	 * @param whole how long after the network's return the last call that began before it
	 * ended
	 * @param longestWait the longest time one attempt waited before it failed or returned
	 * (on a dead connection: until the socket timeout or the backend check ended it)
	 * @param longestCall the longest call, its retries included
	 * @param gcPause time the JVM spent in garbage collection during the run
	 */
	private record Measured(long whole, long longestWait, long longestCall, long gcPause) {
	}

	private static long gcMillis() {
		long total = 0;
		for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory
			.getGarbageCollectorMXBeans()) {
			total += Math.max(0, gc.getCollectionTime());
		}
		return total;
	}

	private Measured vanish(int connectionLimit, String... properties) throws Exception {
		Measured[] result = new Measured[1];
		TestDatabase database = TestDatabase.shared().newDatabase("vanish");
		database.execute("CREATE TABLE item (id int PRIMARY KEY)", "INSERT INTO item SELECT generate_series(1, 3)");
		try (FaultProxy proxy = FaultProxy.start(database.host(), database.port())) {
			this.contextRunner
				.withPropertyValues("db.pool.url=" + proxy.jdbcUrl(database.database()),
						"db.pool.username=" + database.username(), "db.pool.password=" + database.password(),
						"db.pool.connection-limit=" + connectionLimit, "db.pool.query-timeout=5s",
						"db.pool.pool-timeout=20s", "db.pool.connect-timeout=2s", "db.pool.retry.max-attempts=5",
						"db.pool.retry.initial-delay=50ms", "db.pool.retry.max-delay=200ms",
						"db.pool.retry.budget.enabled=false")
				.withPropertyValues(properties)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					Reader reader = context.getBean(Reader.class);
					// Derived from the query timeout: 5 s + 10 s at most.
					assertThat(context.getBean(DbPoolSettings.class).get(PoolSettingTable.SOCKET_TIMEOUT))
						.isEqualTo(java.time.Duration.ofSeconds(15));
					ConcurrentLinkedQueue<long[]> calls = new ConcurrentLinkedQueue<>();
					long gcBefore = gcMillis();
					ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
					AtomicBoolean running = new AtomicBoolean(true);
					ExecutorService executor = Executors.newFixedThreadPool(WORKERS);
					List<Future<?>> futures = new ArrayList<>();
					for (int i = 0; i < WORKERS; i++) {
						futures.add(executor.submit(() -> {
							while (running.get()) {
								long start = System.nanoTime();
								Reader.ATTEMPTS.get().clear();
								Reader.FAILURES.get().clear();
								try {
									reader.slowRead();
								}
								catch (RuntimeException ex) {
									failures.add(ex);
								}
								long end = System.nanoTime();
								// Each failed attempt waited from its start (or the
								// previous
								// failure) until its failure; the last one until the call
								// ended.
								List<Long> starts = Reader.ATTEMPTS.get();
								List<Long> failed = Reader.FAILURES.get();
								long wait = 0;
								long previous = start;
								for (long failure : failed) {
									long began = previous;
									for (long attempt : starts) {
										if (attempt <= failure) {
											began = Math.max(began, attempt);
										}
									}
									wait = Math.max(wait, failure - began);
									previous = failure;
								}
								long began = previous;
								for (long attempt : starts) {
									began = Math.max(began, attempt);
								}
								wait = Math.max(wait, end - began);
								calls.add(new long[] { start, end, wait });
							}
						}));
					}
					Thread.sleep(500);
					com.zaxxer.hikari.HikariPoolMXBean state = dev.dbpool.common.HikariPools
						.require(context.getBean(DataSource.class))
						.getHikariPoolMXBean();
					int before = state.getTotalConnections();
					proxy.blackHole();
					long holeStart = System.nanoTime();
					Thread.sleep(HOLE_MILLIS / 2);
					// The old host is gone: its backends with it.
					database.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
							+ "WHERE application_name = 'vanish' AND pid <> pg_backend_pid()");
					Thread.sleep(HOLE_MILLIS / 2);
					proxy.freshHost(database.host(), database.port());
					long back = System.nanoTime();
					Thread.sleep(5000);
					running.set(false);
					for (Future<?> future : futures) {
						future.get(30, TimeUnit.SECONDS);
					}
					executor.shutdownNow();
					long longest = 0;
					long longestWait = 0;
					long whole = 0;
					for (long[] call : calls) {
						longest = Math.max(longest, call[1] - call[0]);
						longestWait = Math.max(longestWait, call[2]);
						if (call[0] < back) {
							whole = Math.max(whole, call[1] - back);
						}
					}
					Measured measured = new Measured(TimeUnit.NANOSECONDS.toMillis(whole),
							TimeUnit.NANOSECONDS.toMillis(longestWait), TimeUnit.NANOSECONDS.toMillis(longest),
							gcMillis() - gcBefore);
					logger.info(
							"Vanished host (connection-limit={}, {} connections open before the hole): {} calls, {} "
									+ "failed, hole {} ms, {}",
							connectionLimit, before, calls.size(), failures.size(),
							TimeUnit.NANOSECONDS.toMillis(back - holeStart), measured);
					assertThat(failures).isEmpty();
					// No attempt waits on a dead connection past query timeout + 10 s
					// (the
					// socket timeout; 1 s for the failure to reach the retry).
					assertThat(measured.longestWait()).as(measured.toString()).isLessThan(15000 + 1000);
					// Then its retry borrows a new connection: within the connect timeout
					// (2 s)
					// and the retry's backoff, with 3 s for a machine the suite shares.
					assertThat(measured.longestCall()).as(measured.toString())
						.isLessThan(measured.longestWait() + 2000 + 200 + 3000);
					result[0] = measured;
				});
		}
		return result[0];
	}

	/**
	 * Application code: a short read-only transaction, retried when its connection
	 * breaks.
	 */
	static class Reader {

		/** When each attempt of the calling thread's current call began its query. */
		static final ThreadLocal<List<Long>> ATTEMPTS = ThreadLocal.withInitial(ArrayList::new);

		/** When each failed attempt of the calling thread's current call failed. */
		static final ThreadLocal<List<Long>> FAILURES = ThreadLocal.withInitial(ArrayList::new);

		private final JdbcTemplate jdbc;

		Reader(DataSource dataSource) {
			this.jdbc = new JdbcTemplate(dataSource);
		}

		@RetryOnTransientFailure
		@Transactional(readOnly = true)
		public void slowRead() {
			// The transaction began just before, on a connection borrowed for it.
			ATTEMPTS.get().add(System.nanoTime());
			this.jdbc.queryForObject("SELECT count(*) FROM item, pg_sleep(0.02)", Long.class);
		}

		@Configuration(proxyBeanMethods = false)
		static class Config {

			@Bean
			Reader reader(DataSource dataSource) {
				return new Reader(dataSource);
			}

			@Bean
			TransientRetryListener failureTimes() {
				return new TransientRetryListener() {

					@Override
					public void onRetry(String name, @Nullable String sqlState, int retry, long delayMillis) {
						FAILURES.get().add(System.nanoTime());
					}

				};
			}

		}

	}

}
