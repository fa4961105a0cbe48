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
import dev.dbpool.testsupport.FaultProxy;
import dev.dbpool.testsupport.TestDatabase;
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
		long[] measured = vanish(WORKERS + 1, "db.pool.min-idle=0");
		// Within 5 s of the return, not after the 15 s socket timeout.
		assertThat(measured[0]).isLessThan(5000);
		assertThat(measured[1]).isLessThan(HOLE_MILLIS + 5000);
	}

	/**
	 * With every connection of the limit stuck, the backend check has no connection to
	 * ask on (the instance never exceeds its limit): the socket timeout frees them.
	 */
	@Test
	void aPoolStuckAtItsConnectionLimitIsWholeOnceTheSocketTimeoutFreesIt() throws Exception {
		long[] measured = vanish(WORKERS);
		// The socket timeout is 15 s, counted from the start of the 3 s hole.
		assertThat(measured[0]).isLessThan(15000);
	}

	/** Whole again after the return, and the longest call, in milliseconds. */
	private long[] vanish(int connectionLimit, String... properties) throws Exception {
		long[] result = new long[2];
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
					ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
					AtomicBoolean running = new AtomicBoolean(true);
					ExecutorService executor = Executors.newFixedThreadPool(WORKERS);
					List<Future<?>> futures = new ArrayList<>();
					for (int i = 0; i < WORKERS; i++) {
						futures.add(executor.submit(() -> {
							while (running.get()) {
								long start = System.nanoTime();
								try {
									reader.slowRead();
								}
								catch (RuntimeException ex) {
									failures.add(ex);
								}
								calls.add(new long[] { start, System.nanoTime() });
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
					long whole = 0;
					for (long[] call : calls) {
						longest = Math.max(longest, call[1] - call[0]);
						if (call[0] < back) {
							whole = Math.max(whole, call[1] - back);
						}
					}
					logger.info(
							"Vanished host (connection-limit={}, {} connections open before the hole): {} calls, {} "
									+ "failed, longest call {} ms, hole {} ms, whole again {} ms after the network "
									+ "returned",
							connectionLimit, before, calls.size(), failures.size(),
							TimeUnit.NANOSECONDS.toMillis(longest), TimeUnit.NANOSECONDS.toMillis(back - holeStart),
							TimeUnit.NANOSECONDS.toMillis(whole));
					assertThat(failures).isEmpty();
					// No call waits on a dead connection past query timeout + 10 s.
					assertThat(TimeUnit.NANOSECONDS.toMillis(longest)).isLessThan(15000 + 2000);
					result[0] = TimeUnit.NANOSECONDS.toMillis(whole);
					result[1] = TimeUnit.NANOSECONDS.toMillis(longest);
				});
		}
		return result;
	}

	/**
	 * Application code: a short read-only transaction, retried when its connection
	 * breaks.
	 */
	static class Reader {

		private final JdbcTemplate jdbc;

		Reader(DataSource dataSource) {
			this.jdbc = new JdbcTemplate(dataSource);
		}

		@RetryOnTransientFailure
		@Transactional(readOnly = true)
		public void slowRead() {
			this.jdbc.queryForObject("SELECT count(*) FROM item, pg_sleep(0.02)", Long.class);
		}

		@Configuration(proxyBeanMethods = false)
		static class Config {

			@Bean
			Reader reader(DataSource dataSource) {
				return new Reader(dataSource);
			}

		}

	}

}
