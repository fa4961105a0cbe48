package dev.dbpool.datasource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.DbPoolAutoConfiguration;
import dev.dbpool.common.InvalidDbPoolSettingException;
import dev.dbpool.config.DbPoolEnvironmentPostProcessor;
import dev.dbpool.embedded.EmbeddedPostgresServer;
import dev.dbpool.health.DbPoolHealthAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Read replica routing against a real streaming replica: a private primary and a standby
 * built from a copy of its data directory.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReplicaRoutingTests {

	private static EmbeddedPostgresServer primary;

	private static EmbeddedPostgresServer standby;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DbPoolAutoConfiguration.class, DbPoolScalingAutoConfiguration.class,
				DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class, TransactionAutoConfiguration.class))
		.withInitializer((context) -> new DbPoolEnvironmentPostProcessor()
			.postProcessEnvironment(context.getEnvironment(), new SpringApplication()))
		.withUserConfiguration(ReportingService.Config.class)
		.withPropertyValues("spring.application.name=orders");

	@BeforeAll
	static void startPrimaryAndStandby() throws Exception {
		primary = EmbeddedPostgresServer.start();
		primary.createDatabase("shop");
		try (Connection connection = primary.connect("shop"); Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE item (id int PRIMARY KEY, name text)");
			statement.execute("INSERT INTO item VALUES (1, 'written before the standby was copied')");
		}
		standby = primary.startStandby();
		await().atMost(Duration.ofSeconds(30)).until(() -> inRecovery(standby));
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
	void readOnlyTransactionRunsOnReplicaAndReadWriteOnPrimary() {
		this.contextRunner.withPropertyValues(primaryUrl(), replicaUrl()).run((context) -> {
			ReportingService service = context.getBean(ReportingService.class);
			assertThat(context.getBean(PlatformTransactionManager.class)).isInstanceOf(JdbcTransactionManager.class);
			assertThat(service.readOnlyInRecovery()).isTrue();
			assertThat(service.readWriteInRecovery()).isFalse();
			assertThat(service.outsideTransactionInRecovery()).isFalse();
		});
	}

	@Test
	void writeOnPrimaryBecomesVisibleToReadOnlyWorkOnReplica() {
		this.contextRunner.withPropertyValues(primaryUrl(), replicaUrl()).run((context) -> {
			ReportingService service = context.getBean(ReportingService.class);
			service.insert(2, "written through the primary");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> "written through the primary".equals(service.readOnlyName(2)));
		});
	}

	@Test
	void replicaPoolIsTunedByTheSameRulesAndNamedAfterThePrimary() {
		this.contextRunner
			.withPropertyValues(primaryUrl() + "?connection_limit=4", replicaUrl() + "?connection_limit=7",
					"db.pool.pool-timeout=3s")
			.run((context) -> {
				HikariDataSource replica = context.getBean("dbPoolReplicaDataSource", HikariDataSource.class);
				HikariDataSource primaryPool = context.getBean("dataSource", HikariDataSource.class);
				assertThat(replica.getPoolName()).isEqualTo("orders-replica");
				assertThat(primaryPool.getPoolName()).isEqualTo("orders");
				assertThat(replica.getMaximumPoolSize()).isEqualTo(7);
				assertThat(primaryPool.getMaximumPoolSize()).isEqualTo(4);
				assertThat(replica.getConnectionTimeout()).isEqualTo(3000);
				assertThat(replica.getDataSourceProperties().getProperty("options"))
					.contains("statement_timeout=30000");
				assertThat(context.getBean(DataSource.class)).isInstanceOf(LazyConnectionDataSourceProxy.class);
				assertThat(context.getBean(HikariDataSource.class)).isSameAs(primaryPool);
			});
	}

	@Test
	void replicaUrlFromTheSeedEnvironmentVariableIsUsed() {
		this.contextRunner.withSystemProperties("DATABASE_REPLICA_URL=" + standbyDatabaseUrl())
			.withPropertyValues(primaryUrl())
			.run((context) -> assertThat(context.getBean(ReportingService.class).readOnlyInRecovery()).isTrue());
	}

	@Test
	void withoutReplicaTheDataSourceStaysThePlainPool() {
		this.contextRunner.withPropertyValues(primaryUrl()).run((context) -> {
			assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
			assertThat(context).doesNotHaveBean(ReplicaRoutingDataSource.class);
			assertThat(context).doesNotHaveBean("dbPoolReplicaDataSource");
			assertThat(context).doesNotHaveBean(ReplicaPoolContributor.class);
			assertThat(context.getBean(ReportingService.class).readOnlyInRecovery()).isFalse();
		});
	}

	@Test
	void snapshotShowsReplicaPool() {
		this.contextRunner.withPropertyValues(primaryUrl(), replicaUrl()).run((context) -> {
			context.getBean(ReportingService.class).readOnlyInRecovery();
			ReplicaPoolContributor contributor = context.getBean(ReplicaPoolContributor.class);
			assertThat(contributor.section()).isEqualTo("replica");
			@SuppressWarnings("unchecked")
			Map<String, Object> snapshot = (Map<String, Object>) contributor.snapshot();
			assertThat(snapshot).containsEntry("pool", "orders-replica")
				.containsEntry("available", true)
				.containsEntry("fallbacksToPrimary", 0L)
				.containsKeys("activeConnections", "idleConnections", "maxConnections");
			assertThat(snapshot.toString()).doesNotContain(standby.getPassword());
		});
	}

	@Test
	void healthShowsBothPoolsAndReplicaOutageIsCoveredByFallback() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(ApplicationAvailabilityAutoConfiguration.class,
					DbPoolHealthAutoConfiguration.class))
			.withPropertyValues(primaryUrl(), replicaUrl())
			.run((context) -> {
				HealthIndicator primaryHealth = context.getBean("dbHealthContributor", HealthIndicator.class);
				HealthIndicator replicaHealth = context.getBean("dbReplicaHealthContributor", HealthIndicator.class);
				assertThat(primaryHealth.health().getStatus()).isEqualTo(Status.UP);
				Health replica = replicaHealth.health();
				assertThat(replica.getStatus()).isEqualTo(Status.UP);
				assertThat(replica.getDetails()).containsEntry("replicaStatus", "UP")
					.containsEntry("readsServedBy", "replica");
				assertThat(replica.getDetails().get("pool").toString()).contains("orders-replica");
				standby.stop();
				try {
					await().atMost(Duration.ofSeconds(20))
						.until(() -> "DOWN".equals(replicaHealth.health().getDetails().get("replicaStatus")));
					Health down = replicaHealth.health();
					assertThat(down.getStatus()).isEqualTo(Status.UP);
					assertThat(down.getDetails()).containsEntry("readsServedBy", "primary");
				}
				finally {
					standby.startAgain();
				}
			});
	}

	@Test
	void metricsAreTaggedWithEachPoolsName() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class, DataSourcePoolMetricsAutoConfiguration.class))
			.withPropertyValues(primaryUrl(), replicaUrl())
			.run((context) -> {
				ReportingService service = context.getBean(ReportingService.class);
				service.readOnlyInRecovery();
				service.readWriteInRecovery();
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.find("hikaricp.connections.max").tag("pool", "orders").gauge()).isNotNull();
				assertThat(registry.find("hikaricp.connections.max").tag("pool", "orders-replica").gauge()).isNotNull();
			});
	}

	@Test
	void replicaDownSendsReadOnlyWorkToPrimaryWithOneWarning(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues(primaryUrl(), replicaUrl(), "db.pool.pool-timeout=1s",
					"db.pool.replica.retry-interval=1s")
			.run((context) -> {
				ReportingService service = context.getBean(ReportingService.class);
				assertThat(service.readOnlyInRecovery()).isTrue();
				standby.stop();
				try {
					// A pooled connection the replica dropped fails its statement once;
					// that
					// is the retry's job. The next connections come from the primary.
					await().atMost(Duration.ofSeconds(20))
						.ignoreExceptions()
						.until(() -> !service.readOnlyInRecovery());
					for (int i = 0; i < 5; i++) {
						assertThat(service.readOnlyInRecovery()).isFalse();
					}
					assertThat(output.getOut().split("Read replica pool 'orders-replica' is unavailable", -1))
						.hasSize(2);
					assertThat(context.getBean(ReplicaRoutingDataSource.class).availability().fallbacks())
						.isGreaterThanOrEqualTo(5);
				}
				finally {
					standby.startAgain();
				}
				await().atMost(Duration.ofSeconds(30)).until(service::readOnlyInRecovery);
				assertThat(output).contains("Read replica pool 'orders-replica' is available again");
			});
	}

	@Test
	void replicaDownFailsReadOnlyWorkWhenFallbackIsOff() {
		this.contextRunner
			.withPropertyValues(primaryUrl(),
					"db.pool.replica.url=postgresql://postgres:secret@localhost:1/shop?connect_timeout=1",
					"db.pool.replica.fallback-to-primary=false", "db.pool.startup-timeout=0", "db.pool.pool-timeout=1s")
			.run((context) -> assertThat(context).hasFailed());
		this.contextRunner
			.withPropertyValues(primaryUrl(),
					"db.pool.replica.url=postgresql://postgres:secret@localhost:1/shop?connect_timeout=1",
					"db.pool.pool-timeout=1s")
			.run((context) -> {
				ReportingService service = context.getBean(ReportingService.class);
				assertThat(service.readOnlyInRecovery()).isFalse();
				ReplicaRoutingDataSource routing = context.getBean(ReplicaRoutingDataSource.class);
				assertThat(routing.availability().isAvailable()).isFalse();
			});
	}

	@Test
	void invalidReplicaUrlFailsNamingTheProperty() {
		this.contextRunner
			.withPropertyValues(primaryUrl(), "db.pool.replica.url=postgresql://app:secret@replica host/shop")
			.run((context) -> {
				assertThat(context).hasFailed();
				InvalidDbPoolSettingException invalid = null;
				for (Throwable cause = context.getStartupFailure(); cause != null; cause = cause.getCause()) {
					assertThat(String.valueOf(cause.getMessage())).doesNotContain("secret");
					if (cause instanceof InvalidDbPoolSettingException found) {
						invalid = found;
					}
				}
				assertThat(invalid).isNotNull();
				assertThat(invalid.getProperty()).isEqualTo("db.pool.replica.url");
			});
	}

	@Test
	void readOnlyFlagReachesTheReplicaConnection() {
		this.contextRunner.withPropertyValues(primaryUrl(), replicaUrl()).run((context) -> {
			assertThatExceptionOfType(RuntimeException.class)
				.isThrownBy(() -> context.getBean(ReportingService.class).writeInReadOnlyTransaction())
				.withMessageContaining("read-only transaction");
		});
	}

	private static String primaryUrl() {
		return "db.pool.url=postgresql://postgres:" + primary.getPassword() + "@localhost:" + primary.getPort()
				+ "/shop";
	}

	private static String replicaUrl() {
		return "db.pool.replica.url=" + standbyDatabaseUrl();
	}

	private static String standbyDatabaseUrl() {
		return "postgresql://postgres:" + standby.getPassword() + "@localhost:" + standby.getPort() + "/shop";
	}

	private static boolean inRecovery(EmbeddedPostgresServer server) {
		try (Connection connection = server.connect("shop");
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT pg_is_in_recovery()")) {
			result.next();
			return result.getBoolean(1);
		}
		catch (Exception ex) {
			return false;
		}
	}

	/**
	 * Application code as users write it: annotated service methods over JdbcTemplate.
	 */
	static class ReportingService {

		private final JdbcTemplate jdbc;

		ReportingService(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@Transactional(readOnly = true)
		public boolean readOnlyInRecovery() {
			return Boolean.TRUE.equals(this.jdbc.queryForObject("SELECT pg_is_in_recovery()", Boolean.class));
		}

		@Transactional
		public boolean readWriteInRecovery() {
			return Boolean.TRUE.equals(this.jdbc.queryForObject("SELECT pg_is_in_recovery()", Boolean.class));
		}

		public boolean outsideTransactionInRecovery() {
			return Boolean.TRUE.equals(this.jdbc.queryForObject("SELECT pg_is_in_recovery()", Boolean.class));
		}

		@Transactional
		public void insert(int id, String name) {
			this.jdbc.update("INSERT INTO item VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name", id,
					name);
		}

		@Transactional(readOnly = true)
		public String readOnlyName(int id) {
			return this.jdbc.queryForList("SELECT name FROM item WHERE id = ?", String.class, id)
				.stream()
				.findFirst()
				.orElse("");
		}

		@Transactional(readOnly = true)
		public void writeInReadOnlyTransaction() {
			this.jdbc.update("INSERT INTO item VALUES (99, 'must not be written')");
		}

		@Configuration(proxyBeanMethods = false)
		static class Config {

			@Bean
			ReportingService reportingService(JdbcTemplate jdbc) {
				return new ReportingService(jdbc);
			}

		}

	}

}
