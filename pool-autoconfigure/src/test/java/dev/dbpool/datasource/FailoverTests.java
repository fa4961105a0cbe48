package dev.dbpool.datasource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.DbPoolAutoConfiguration;
import dev.dbpool.config.DbPoolEnvironmentPostProcessor;
import dev.dbpool.embedded.EmbeddedPostgresServer;
import dev.dbpool.retry.DbPoolRetryAutoConfiguration;
import dev.dbpool.retry.RetryOnTransientFailure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
import static org.awaitility.Awaitility.await;

/**
 * Failover through a multi-host URL: a primary and its streaming standby, both in
 * {@code DATABASE_URL} with {@code target_session_attrs=read-write}. Under a write load
 * through retried methods the primary is stopped and the standby promoted; writes must
 * continue on the new primary and no acknowledged write may be lost.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FailoverTests {

	private static final Logger logger = LoggerFactory.getLogger(FailoverTests.class);

	private static final int WRITERS = 4;

	private static EmbeddedPostgresServer primary;

	private static EmbeddedPostgresServer standby;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DbPoolAutoConfiguration.class, DbPoolScalingAutoConfiguration.class,
				DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class, TransactionAutoConfiguration.class,
				DbPoolRetryAutoConfiguration.class))
		.withInitializer((context) -> new DbPoolEnvironmentPostProcessor()
			.postProcessEnvironment(context.getEnvironment(), new SpringApplication()))
		.withUserConfiguration(OrderWriter.Config.class)
		.withPropertyValues("spring.application.name=orders");

	@BeforeAll
	static void startPrimaryAndStandby() throws Exception {
		primary = EmbeddedPostgresServer.start();
		primary.createDatabase("shop");
		try (Connection connection = primary.connect("shop"); Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE orders (id bigint PRIMARY KEY, placed_at timestamptz DEFAULT now())");
		}
		standby = primary.startStandby();
	}

	@AfterAll
	static void stopServers() {
		if (standby != null) {
			standby.close();
		}
		if (primary != null) {
			primary.close();
		}
	}

	@Test
	void writesContinueOnThePromotedStandbyWithoutLosingAcknowledgedWrites() {
		String url = "postgresql://postgres:" + primary.getPassword() + "@localhost:" + primary.getPort()
				+ ",localhost:" + standby.getPort() + "/shop?target_session_attrs=read-write";
		this.contextRunner
			.withPropertyValues("db.pool.url=" + url, "db.pool.connection-limit=" + WRITERS, "db.pool.pool-timeout=2s",
					"db.pool.connect-timeout=2s", "db.pool.retry.max-attempts=20", "db.pool.retry.initial-delay=100ms",
					"db.pool.retry.max-delay=1s", "db.pool.retry.budget.enabled=false",
					"db.pool.data-source-properties.hostRecheckSeconds=1")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				HikariDataSource pool = context.getBean(HikariDataSource.class);
				assertThat(pool.getJdbcUrl()).contains("localhost:" + primary.getPort())
					.contains("localhost:" + standby.getPort());
				assertThat(pool.getDataSourceProperties().getProperty("targetServerType")).isEqualTo("primary");
				OrderWriter writer = context.getBean(OrderWriter.class);
				assertThat(writer.inRecovery()).isFalse();

				AtomicLong ids = new AtomicLong();
				ConcurrentSkipListMap<Long, Long> acknowledgedAt = new ConcurrentSkipListMap<>();
				Set<String> failures = ConcurrentHashMap.newKeySet();
				AtomicBoolean running = new AtomicBoolean(true);
				ExecutorService executor = Executors.newFixedThreadPool(WRITERS);
				List<Future<?>> futures = new ArrayList<>();
				long failoverStart;
				long promoted;
				try {
					for (int i = 0; i < WRITERS; i++) {
						futures.add(executor.submit(() -> {
							while (running.get()) {
								long id = ids.incrementAndGet();
								try {
									writer.place(id);
									acknowledgedAt.put(id, System.nanoTime());
								}
								catch (RuntimeException ex) {
									failures.add(id + ": " + ex);
								}
							}
						}));
					}
					await().atMost(Duration.ofSeconds(20)).until(() -> acknowledgedAt.size() >= 200);
					failoverStart = System.nanoTime();
					primary.stop();
					standby.promote();
					promoted = System.nanoTime();
					int atPromotion = acknowledgedAt.size();
					await().atMost(Duration.ofSeconds(30)).until(() -> acknowledgedAt.size() >= atPromotion + 200);
				}
				finally {
					running.set(false);
					for (Future<?> future : futures) {
						future.get(60, TimeUnit.SECONDS);
					}
					executor.shutdownNow();
				}
				long firstAfterFailover = acknowledgedAt.values()
					.stream()
					.filter((at) -> at > promoted)
					.min(Long::compare)
					.orElseThrow();
				long longestGap = longestGapMillis(acknowledgedAt.values());
				logger.info("Failover: primary stop + promotion took {} ms; first write acknowledged {} ms after the "
						+ "failover started ({} ms after promotion); longest gap between acknowledged writes {} ms; "
						+ "{} acknowledged, {} failed", TimeUnit.NANOSECONDS.toMillis(promoted - failoverStart),
						TimeUnit.NANOSECONDS.toMillis(firstAfterFailover - failoverStart),
						TimeUnit.NANOSECONDS.toMillis(firstAfterFailover - promoted), longestGap, acknowledgedAt.size(),
						failures.size());
				assertThat(failures).isEmpty();
				assertThat(writer.inRecovery()).isFalse();
				Set<Long> stored = storedIds(standby);
				assertThat(stored).containsAll(acknowledgedAt.keySet());
			});
	}

	private static long longestGapMillis(java.util.Collection<Long> times) {
		List<Long> sorted = new ArrayList<>(times);
		sorted.sort(Long::compare);
		long longest = 0;
		for (int i = 1; i < sorted.size(); i++) {
			longest = Math.max(longest, sorted.get(i) - sorted.get(i - 1));
		}
		return TimeUnit.NANOSECONDS.toMillis(longest);
	}

	private static Set<Long> storedIds(EmbeddedPostgresServer server) throws Exception {
		Set<Long> ids = new HashSet<>();
		try (Connection connection = server.connect("shop");
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SELECT id FROM orders")) {
			while (rows.next()) {
				ids.add(rows.getLong(1));
			}
		}
		return ids;
	}

	/** Application code: an idempotent write, retried across the failover. */
	static class OrderWriter {

		private final JdbcTemplate jdbc;

		OrderWriter(DataSource dataSource) {
			this.jdbc = new JdbcTemplate(dataSource);
		}

		@RetryOnTransientFailure(idempotent = true)
		@Transactional
		public void place(long id) {
			this.jdbc.update("INSERT INTO orders (id) VALUES (?) ON CONFLICT (id) DO NOTHING", id);
		}

		@RetryOnTransientFailure
		@Transactional(readOnly = true)
		public boolean inRecovery() {
			return Boolean.TRUE.equals(this.jdbc.queryForObject("SELECT pg_is_in_recovery()", Boolean.class));
		}

		@Configuration(proxyBeanMethods = false)
		static class Config {

			@Bean
			OrderWriter orderWriter(DataSource dataSource) {
				return new OrderWriter(dataSource);
			}

		}

	}

}
