package dev.dbpool.health;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import dev.dbpool.DbPoolAutoConfiguration;
import dev.dbpool.config.DbPoolEnvironmentPostProcessor;
import dev.dbpool.datasource.DbPoolScalingAutoConfiguration;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connection accounting per instance against a real server: a server that leaves fewer
 * slots than the pool wants (a role CONNECTION LIMIT gives the same SQLSTATE 53300 as
 * max_connections), and the rule operators size the server by, that one instance never
 * holds more than its connection limit.
 */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConnectionLimitTests {

	private static final Logger logger = LoggerFactory.getLogger(ConnectionLimitTests.class);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DbPoolAutoConfiguration.class, DbPoolScalingAutoConfiguration.class,
				DataSourceAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class,
				DbPoolHealthAutoConfiguration.class, DataSourceHealthContributorAutoConfiguration.class))
		.withInitializer((context) -> new DbPoolEnvironmentPostProcessor()
			.postProcessEnvironment(context.getEnvironment(), new SpringApplication()));

	private static String role(TestDatabase database, String name, int limit) {
		database.execute(
				"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + name + "') THEN " + "CREATE ROLE "
						+ name + " LOGIN PASSWORD 'pw'; END IF; END $$",
				"ALTER ROLE " + name + " CONNECTION LIMIT " + limit);
		return "db.pool.url=postgresql://" + name + ":pw@" + database.host() + ":" + database.port() + "/"
				+ database.database();
	}

	@Test
	void aPoolThatServesWithFewerSlotsThanItWantsIsReadyAndSaysWhy(CapturedOutput output) {
		TestDatabase database = TestDatabase.shared().newDatabase("slots");
		this.contextRunner
			.withPropertyValues(role(database, "slots_short", 5), "db.pool.connection-limit=20",
					"spring.application.name=slots")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
				PoolHealthIndicator health = context.getBean(PoolHealthIndicator.class);
				await().atMost(java.time.Duration.ofSeconds(20))
					.untilAsserted(() -> assertThat(output).contains("SQLSTATE 53300"));
				AtomicInteger served = new AtomicInteger();
				AtomicInteger failed = new AtomicInteger();
				AtomicInteger ready = new AtomicInteger();
				AtomicInteger samples = new AtomicInteger();
				ExecutorService executor = Executors.newFixedThreadPool(8);
				List<Future<?>> futures = new ArrayList<>();
				for (int t = 0; t < 8; t++) {
					futures.add(executor.submit(() -> {
						for (int i = 0; i < 100; i++) {
							try {
								jdbc.queryForObject("SELECT 1 FROM pg_sleep(0.002)", Integer.class);
								served.incrementAndGet();
							}
							catch (RuntimeException ex) {
								failed.incrementAndGet();
							}
						}
					}));
				}
				for (int i = 0; i < 10; i++) {
					samples.incrementAndGet();
					if (Status.UP.equals(health.health().getStatus())) {
						ready.incrementAndGet();
					}
				}
				for (Future<?> future : futures) {
					future.get(60, TimeUnit.SECONDS);
				}
				executor.shutdownNow();
				logger.info("Slot shortage (role limit 5, connection-limit 20): {} served, {} failed, ready in {} of "
						+ "{} samples", served.get(), failed.get(), ready.get(), samples.get());
				assertThat(failed).hasValue(0);
				assertThat(ready.get()).isEqualTo(samples.get());
				assertThat(output).contains("holds 5 of its 20 connections").contains("lower db.pool.connection-limit");
			});
	}

	@Test
	void oneInstanceNeverHoldsMoreThanItsConnectionLimit() {
		TestDatabase database = TestDatabase.shared().newDatabase("accounting");
		String url = role(database, "accounting_app", -1);
		AtomicInteger most = new AtomicInteger();
		AtomicBoolean sampling = new AtomicBoolean(true);
		Thread sampler = new Thread(() -> {
			while (sampling.get()) {
				try (java.sql.Connection connection = database.connect();
						java.sql.Statement statement = connection.createStatement();
						java.sql.ResultSet result = statement
							.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE usename = 'accounting_app'")) {
					result.next();
					most.accumulateAndGet(result.getInt(1), Math::max);
				}
				catch (java.sql.SQLException ex) {
					// The next sample will do.
				}
			}
		});
		sampler.setDaemon(true);
		sampler.start();
		try {
			this.contextRunner.withPropertyValues(url, "db.pool.connection-limit=7", "spring.application.name=acct")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					PoolHealthIndicator health = context.getBean(PoolHealthIndicator.class);
					com.zaxxer.hikari.HikariDataSource pool = context.getBean(com.zaxxer.hikari.HikariDataSource.class);
					await().atMost(java.time.Duration.ofSeconds(20))
						.until(() -> pool.getHikariPoolMXBean().getTotalConnections() == 7);
					await().atMost(java.time.Duration.ofSeconds(20)).until(() -> most.get() == 7);
					for (int i = 0; i < 20; i++) {
						assertThat(health.health().getStatus()).isEqualTo(Status.UP);
					}
				});
		}
		finally {
			sampling.set(false);
		}
		logger.info("connection-limit=7: at most {} server connections of the instance seen", most.get());
		assertThat(most.get()).isEqualTo(7);
	}

}
