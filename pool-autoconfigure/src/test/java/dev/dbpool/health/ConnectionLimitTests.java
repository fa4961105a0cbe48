package dev.dbpool.health;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.DbPoolAutoConfiguration;
import dev.dbpool.common.ConnectionAllowance;
import dev.dbpool.common.DatabaseStartupException;
import dev.dbpool.common.DbPoolFailureAnalyzer;
import dev.dbpool.common.HikariPools;
import dev.dbpool.config.DbPoolEnvironmentPostProcessor;
import dev.dbpool.config.DbPoolSettings;
import dev.dbpool.config.PoolSettingTable;
import dev.dbpool.datasource.DbPoolScalingAutoConfiguration;
import dev.dbpool.observe.DbPoolObservationAutoConfiguration;
import dev.dbpool.observe.ObservedDataSource;
import dev.dbpool.observe.QueryObserver;
import dev.dbpool.observe.SlowQueryPlans;
import dev.dbpool.retry.DbPoolRetryAutoConfiguration;
import dev.dbpool.retry.RetryOnTransientFailure;
import dev.dbpool.testsupport.FaultProxy;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration;
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
				DbPoolHealthAutoConfiguration.class, DataSourceHealthContributorAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
				TransactionAutoConfiguration.class, DbPoolRetryAutoConfiguration.class,
				DbPoolObservationAutoConfiguration.class))
		.withUserConfiguration(Orders.Config.class)
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

	/**
	 * A server that answers but has no slot for this role: the refusal says so, and does
	 * not send the operator looking for a server that is not running.
	 */
	@Test
	void aStartupRefusedForWantOfSlotsSaysTheServerHasNoFreeSlots() {
		TestDatabase database = TestDatabase.shared().newDatabase("noslots");
		this.contextRunner.withPropertyValues(role(database, "slots_none", 0), "db.pool.startup-timeout=1s")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new DbPoolFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getCause()).isInstanceOf(DatabaseStartupException.class);
				assertThat(analysis.getDescription()).contains("has no free connection slots (SQLSTATE 53300)")
					.doesNotContain("pw@")
					.doesNotContain("Check that the server is running");
				assertThat(analysis.getAction()).contains("every connection slot is taken")
					.contains("db.pool.connection-limit");
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
					HikariDataSource pool = HikariPools.require(context.getBean(DataSource.class));
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

	@Test
	void probesOfAPoolWhoseEveryConnectionIsHeldOpenNothingBeyondTheLimit() throws Exception {
		TestDatabase database = TestDatabase.shared().newDatabase("limit_probe");
		String url = role(database, "limit_probe", -1);
		try (ServerConnections server = ServerConnections.of(database, "limit_probe")) {
			this.contextRunner.withPropertyValues(url, "db.pool.connection-limit=4", "spring.application.name=lprobe")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					HikariDataSource pool = HikariPools.require(context.getBean(DataSource.class));
					PoolHealthIndicator health = context.getBean(PoolHealthIndicator.class);
					startSampling(pool, server, 4);
					List<Connection> holders = hold(pool, 4);
					try {
						await().atMost(Duration.ofSeconds(20)).until(() -> server.max() == 4);
						for (int i = 0; i < 20; i++) {
							Health probed = health.health();
							// Full but serving: ready, and saying so from the pool's
							// state.
							assertThat(probed.getStatus()).isEqualTo(Status.UP);
							assertThat(probed.getDetails()).containsEntry("saturated", true).containsKey("busy");
						}
					}
					finally {
						release(holders);
					}
				});
			logger.info("Probes of a held pool (connection-limit=4): at most {} server connections:{}", server.max(),
					server.atMost());
			assertThat(server.max()).isEqualTo(4);
		}
	}

	@Test
	void aProbeOfAPoolStuckInABlackHoleSaysDownWithinItsBound() throws Exception {
		TestDatabase database = TestDatabase.shared().newDatabase("limit_stuck");
		try (FaultProxy proxy = FaultProxy.start(database.host(), database.port())) {
			this.contextRunner
				.withPropertyValues("db.pool.url=" + proxy.jdbcUrl(database.database()),
						"db.pool.username=" + database.username(), "db.pool.password=" + database.password(),
						"db.pool.connection-limit=2", "db.pool.query-timeout=2s", "db.pool.pool-timeout=2s",
						"db.pool.connect-timeout=2s", "spring.application.name=lstuck")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					HikariDataSource pool = HikariPools.require(context.getBean(DataSource.class));
					PoolHealthIndicator health = context.getBean(PoolHealthIndicator.class);
					Duration socketTimeout = context.getBean(DbPoolSettings.class).get(PoolSettingTable.SOCKET_TIMEOUT);
					assertThat(health.health().getStatus()).isEqualTo(Status.UP);
					ExecutorService callers = Executors.newFixedThreadPool(2);
					try {
						JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
						for (int i = 0; i < 2; i++) {
							callers.submit(() -> jdbc.execute("SELECT pg_sleep(1)"));
						}
						await().atMost(Duration.ofSeconds(10))
							.until(() -> pool.getHikariPoolMXBean().getActiveConnections() == 2);
						// The host vanishes under both running statements.
						proxy.blackHole();
						long stuckSince = System.nanoTime();
						// Before the bound the pool counts as busy; after it, as stuck.
						assertThat(health.health().getStatus()).isEqualTo(Status.UP);
						await().atMost(socketTimeout.plusSeconds(5))
							.pollInterval(Duration.ofMillis(200))
							.until(() -> Status.DOWN.equals(health.health().getStatus()));
						long downAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stuckSince);
						logger.info("Pool stuck in a black hole: DOWN after {} ms (socket timeout {})", downAfter,
								socketTimeout);
					}
					finally {
						proxy.restore();
						callers.shutdownNow();
					}
				});
		}
	}

	@Test
	void askingAboutALostCommitWhileThePoolIsFullStaysWithinTheLimit() throws Exception {
		TestDatabase database = TestDatabase.shared().newDatabase("limit_commit");
		database.execute("CREATE TABLE orders (id bigserial, tag text NOT NULL)");
		role(database, "limit_commit", -1);
		database.execute("GRANT ALL ON orders, orders_id_seq TO limit_commit");
		try (FaultProxy proxy = FaultProxy.start(database.host(), database.port());
				ServerConnections server = ServerConnections.of(database, "limit_commit")) {
			this.contextRunner
				.withPropertyValues("db.pool.url=" + proxy.jdbcUrl(database.database()),
						"db.pool.username=limit_commit", "db.pool.password=pw", "db.pool.connection-limit=3",
						"spring.application.name=lcommit")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					HikariDataSource pool = HikariPools.require(context.getBean(DataSource.class));
					Orders orders = context.getBean(Orders.class);
					startSampling(pool, server, 3);
					for (int round = 0; round < 3; round++) {
						// Every connection but the one the write gets is held.
						List<Connection> holders = hold(pool, 2);
						try {
							int cuts = proxy.cuts();
							proxy.cutNextCommit();
							orders.place("lost-" + round);
							assertThat(proxy.cuts()).isEqualTo(cuts + 1);
						}
						finally {
							release(holders);
						}
					}
					// The server committed each one, and the call returned: there once
					// each.
					try (Connection direct = database.connect();
							java.sql.ResultSet rows = direct.createStatement()
								.executeQuery("SELECT count(*) FROM orders")) {
						rows.next();
						assertThat(rows.getLong(1)).isEqualTo(3);
					}
				});
			logger.info(
					"Lost COMMITs resolved with the pool full (connection-limit=3): at most {} server connections:{}",
					server.max(), server.atMost());
			assertThat(server.max()).isEqualTo(3);
		}
	}

	@Test
	void planCaptureWhileThePoolIsFullStaysWithinTheLimit() throws Exception {
		TestDatabase database = TestDatabase.shared().newDatabase("limit_plans");
		String url = role(database, "limit_plans", -1);
		try (ServerConnections server = ServerConnections.of(database, "limit_plans")) {
			this.contextRunner
				.withPropertyValues(url, "db.pool.connection-limit=3", "db.pool.slow-query.threshold=20ms",
						"db.pool.slow-query.plan.max-per-minute=100", "spring.application.name=lplans")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					DataSource dataSource = context.getBean(DataSource.class);
					HikariDataSource pool = HikariPools.require(dataSource);
					QueryObserver observer = dataSource.unwrap(ObservedDataSource.class).getObserver();
					SlowQueryPlans plans = observer.plans();
					assertThat(plans).isNotNull();
					JdbcTemplate jdbc = new JdbcTemplate(dataSource);
					startSampling(pool, server, 3);
					List<Connection> holders = hold(pool, 2);
					try {
						ExecutorService callers = Executors.newFixedThreadPool(2);
						List<Future<?>> calls = new ArrayList<>();
						for (int i = 0; i < 20; i++) {
							// Distinct shapes, so that none is served from the plan
							// cache.
							String sql = "SELECT " + i + " AS c" + i + " FROM pg_sleep(0.03)";
							calls.add(callers.submit(() -> jdbc.queryForObject(sql, Integer.class)));
						}
						for (Future<?> call : calls) {
							call.get(30, TimeUnit.SECONDS);
						}
						callers.shutdown();
						// Plans were captured within the limit, or skipped for it.
						await().atMost(Duration.ofSeconds(20))
							.until(() -> observer.slowQueries()
								.stream()
								.anyMatch((slow) -> plans.planOf(slow.shape()) != null) || plans.skipped() > 0);
						logger.info("Plans with the pool full: {} slow statements, {} plans captured, {} skipped",
								observer.slowQueries().size(),
								observer.slowQueries()
									.stream()
									.filter((slow) -> plans.planOf(slow.shape()) != null)
									.count(),
								plans.skipped());
					}
					finally {
						release(holders);
					}
				});
			logger.info("Plan capture with the pool full (connection-limit=3): at most {} server connections:{}",
					server.max(), server.atMost());
			assertThat(server.max()).isEqualTo(3);
		}
	}

	@Test
	void theBackendCheckOfAPoolWithNoIdleConnectionStaysWithinTheLimit() throws Exception {
		TestDatabase database = TestDatabase.shared().newDatabase("limit_watch");
		String url = role(database, "limit_watch", -1);
		try (ServerConnections server = ServerConnections.of(database, "limit_watch")) {
			this.contextRunner.withPropertyValues(url, "db.pool.connection-limit=3", "spring.application.name=lwatch")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					DataSource dataSource = context.getBean(DataSource.class);
					HikariDataSource pool = HikariPools.require(dataSource);
					JdbcTemplate jdbc = new JdbcTemplate(dataSource);
					startSampling(pool, server, 3);
					ExecutorService callers = Executors.newFixedThreadPool(3);
					List<Future<?>> calls = new ArrayList<>();
					for (int i = 0; i < 3; i++) {
						// Long enough for the watchdog to find no idle connection and
						// check.
						calls.add(callers.submit(() -> jdbc.execute("SELECT pg_sleep(4)")));
					}
					await().atMost(Duration.ofSeconds(10))
						.until(() -> pool.getHikariPoolMXBean().getActiveConnections() == 3);
					for (Future<?> call : calls) {
						call.get(30, TimeUnit.SECONDS);
					}
					callers.shutdown();
					ConnectionAllowance allowance = ConnectionAllowance.of(pool);
					assertThat(allowance).isNotNull();
					assertThat(allowance.declined()).containsKey("backend-check");
				});
			logger.info("Backend check with no idle connection (connection-limit=3): at most {} server connections:{}",
					server.max(), server.atMost());
			assertThat(server.max()).isEqualTo(3);
		}
	}

	/**
	 * Wait until the pool holds its every connection, then sample the scenario only: a
	 * connection the startup checks closed may linger a moment on the server, which
	 * {@link #oneInstanceNeverHoldsMoreThanItsConnectionLimit()} covers.
	 */
	private static void startSampling(HikariDataSource pool, ServerConnections server, int limit) {
		await().atMost(Duration.ofSeconds(20)).until(() -> pool.getHikariPoolMXBean().getTotalConnections() == limit);
		await().atMost(Duration.ofSeconds(20)).until(() -> server.current() == limit);
		server.reset();
	}

	private static List<Connection> hold(HikariDataSource pool, int count) throws SQLException {
		List<Connection> holders = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			holders.add(pool.getConnection());
		}
		return holders;
	}

	private static void release(List<Connection> holders) throws SQLException {
		for (Connection holder : holders) {
			holder.close();
		}
	}

	/**
	 * The most server connections of one role seen at once, sampled from
	 * {@code pg_stat_activity} on a connection of another role, as fast as the server
	 * answers, until closed.
	 */
	static final class ServerConnections implements AutoCloseable {

		private final AtomicInteger most = new AtomicInteger();

		private final AtomicBoolean sampling = new AtomicBoolean(true);

		private final Thread sampler;

		private volatile String atMost = "";

		private volatile int current = -1;

		private ServerConnections(TestDatabase database, String role) {
			this.sampler = new Thread(() -> {
				while (this.sampling.get()) {
					try (Connection connection = database.connect();
							java.sql.PreparedStatement statement = connection.prepareStatement(
									"SELECT count(*) OVER (), pid, application_name, state, left(query, 60) "
											+ "FROM pg_stat_activity WHERE usename = ?")) {
						statement.setString(1, role);
						while (this.sampling.get()) {
							try (java.sql.ResultSet result = statement.executeQuery()) {
								StringBuilder rows = new StringBuilder();
								int count = 0;
								while (result.next()) {
									count = result.getInt(1);
									rows.append("\n  pid ")
										.append(result.getInt(2))
										.append(" '")
										.append(result.getString(3))
										.append("' ")
										.append(result.getString(4))
										.append(": ")
										.append(result.getString(5));
								}
								this.current = count;
								if (count > this.most.get()) {
									this.most.set(count);
									this.atMost = rows.toString();
								}
							}
						}
					}
					catch (SQLException ex) {
						// The next sample will do.
					}
				}
			}, "server-connections-" + role);
			this.sampler.setDaemon(true);
			this.sampler.start();
		}

		int current() {
			return this.current;
		}

		/** Forget what was seen so far. */
		void reset() {
			this.most.set(0);
			this.atMost = "";
		}

		/** The connections seen when the most were seen. */
		String atMost() {
			return this.atMost;
		}

		static ServerConnections of(TestDatabase database, String role) {
			return new ServerConnections(database, role);
		}

		int max() {
			return this.most.get();
		}

		@Override
		public void close() throws InterruptedException {
			this.sampling.set(false);
			this.sampler.join(5000);
		}

	}

	/** A non-idempotent write, whose lost COMMIT is resolved by asking the server. */
	static class Orders {

		private final JdbcTemplate jdbc;

		Orders(DataSource dataSource) {
			this.jdbc = new JdbcTemplate(dataSource);
		}

		@RetryOnTransientFailure
		@Transactional
		public void place(String tag) {
			this.jdbc.update("INSERT INTO orders (tag) VALUES (?)", tag);
		}

		@Configuration(proxyBeanMethods = false)
		static class Config {

			@Bean
			Orders orders(DataSource dataSource) {
				return new Orders(dataSource);
			}

		}

	}

}
