package dev.dbpool.datasource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.DbPoolAutoConfiguration;
import dev.dbpool.common.InvalidDbPoolSettingException;
import dev.dbpool.config.DbPoolEnvironmentPostProcessor;
import dev.dbpool.health.PoolHealthIndicator;
import dev.dbpool.metrics.DbPoolMetricsAutoConfiguration;
import dev.dbpool.metrics.QueryMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.dbpool.observe.DbPoolObservationAutoConfiguration;
import dev.dbpool.observe.ObservedDataSource;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class AdditionalPoolsTests {

	private static TestDatabase primary;

	private static TestDatabase reports;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DbPoolAutoConfiguration.class, DbPoolScalingAutoConfiguration.class,
				DbPoolAdditionalPoolsAutoConfiguration.class, DbPoolObservationAutoConfiguration.class))
		.withInitializer((context) -> new DbPoolEnvironmentPostProcessor()
			.postProcessEnvironment(context.getEnvironment(), new SpringApplication()))
		.withPropertyValues("spring.application.name=orders");

	@BeforeAll
	static void createDatabases() {
		primary = TestDatabase.shared().newDatabase("primarydb");
		reports = TestDatabase.shared().newDatabase("reportsdb");
	}

	@Test
	void namedPoolIsABeanNamedAfterItTunedLikeThePrimary() {
		this.contextRunner
			.withPropertyValues("DATABASE_URL=" + primary.databaseUrl(),
					"db.pool.additional.reports.url=" + reports.databaseUrl() + "?connection_limit=3",
					"db.pool.additional.reports.query-timeout=5s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				DataSource bean = context.getBean("reportsDataSource", DataSource.class);
				assertThat(bean).isInstanceOf(ObservedDataSource.class);
				HikariDataSource pool = PoolDataSourceFactory.pool(bean);
				assertThat(pool.getPoolName()).isEqualTo("orders-reports");
				assertThat(pool.getMaximumPoolSize()).isEqualTo(3);
				try (Connection connection = bean.getConnection();
						Statement statement = connection.createStatement();
						ResultSet result = statement
							.executeQuery("SELECT current_database(), current_setting('statement_timeout')")) {
					result.next();
					assertThat(result.getString(1)).isEqualTo(reports.database());
					assertThat(result.getString(2)).isEqualTo("5s");
				}
				// The primary stays the DataSource injected by type.
				assertThat(PoolDataSourceFactory.pool(context.getBean(DataSource.class)).getPoolName())
					.isEqualTo("orders");
				assertThat(((AbstractBeanDefinition) context.getBeanFactory().getBeanDefinition("reportsDataSource"))
					.isDefaultCandidate()).isFalse();
			});
	}

	@Test
	void hikariConfigCustomizersApplyToNamedPoolsToo() {
		this.contextRunner
			.withPropertyValues("DATABASE_URL=" + primary.databaseUrl(),
					"db.pool.additional.reports.url=" + reports.databaseUrl())
			.withBean("leakDetection", HikariConfigCustomizer.class,
					() -> (config) -> config
						.setLeakDetectionThreshold(config.getPoolName().endsWith("-reports") ? 4321 : 5432))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(PoolDataSourceFactory.pool(context.getBean("reportsDataSource", DataSource.class))
					.getLeakDetectionThreshold()).isEqualTo(4321);
				assertThat(PoolDataSourceFactory.pool(context.getBean(DataSource.class)).getLeakDetectionThreshold())
					.isEqualTo(5432);
			});
	}

	@Test
	void eachNamedPoolHasAHealthComponentAndASnapshotSection() {
		this.contextRunner
			.withPropertyValues("DATABASE_URL=" + primary.databaseUrl(),
					"db.pool.additional.reports.url=" + reports.databaseUrl(),
					"db.pool.additional.audit-log.url=" + reports.databaseUrl() + "?connection_limit=2")
			.run((context) -> {
				PoolHealthIndicator health = context.getBean("dbReportsHealthContributor", PoolHealthIndicator.class);
				assertThat(health.health(false).getStatus()).isEqualTo(Status.UP);
				assertThat(context).hasBean("dbAuditLogHealthContributor").hasBean("auditLogDataSource");
				@SuppressWarnings("unchecked")
				Map<String, Map<String, Object>> section = (Map<String, Map<String, Object>>) context
					.getBean(AdditionalPoolsContributor.class)
					.snapshot();
				assertThat(section).containsOnlyKeys("audit-log", "reports");
				assertThat(section.get("audit-log")).containsEntry("pool", "orders-audit-log")
					.containsEntry("maxConnections", 2);
			});
	}

	@Test
	void namedPoolsCountInTheConnectionBudgetOfTheirServer() {
		this.contextRunner
			.withPropertyValues("DATABASE_URL=" + primary.databaseUrl() + "?connection_limit=4",
					"db.pool.additional.reports.url=" + reports.databaseUrl() + "?connection_limit=3")
			.run((context) -> {
				ConnectionBudgetCheck check = context.getBean(ServerSetupInspection.class).budgetCheck();
				try (Connection connection = context.getBean(DataSource.class).getConnection()) {
					// Same server as the primary: its 3 connections draw on the same
					// max_connections.
					assertThat(check.measure(connection).replicaConnectionLimit()).isEqualTo(3);
				}
			});
	}

	@Test
	void namedPoolHasItsOwnMetricsTag() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(DbPoolMetricsAutoConfiguration.class))
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("DATABASE_URL=" + primary.databaseUrl(),
					"db.pool.additional.reports.url=" + reports.databaseUrl())
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				// The startup inspection runs its queries on the primary pool.
				long primaryBefore = statements(registry, "orders");
				try (Connection connection = context.getBean("reportsDataSource", DataSource.class).getConnection();
						Statement statement = connection.createStatement()) {
					statement.execute("SELECT 1");
				}
				assertThat(statements(registry, "orders-reports")).isEqualTo(1);
				assertThat(statements(registry, "orders")).isEqualTo(primaryBefore);
			});
	}

	private static long statements(MeterRegistry registry, String pool) {
		return registry.find(QueryMetrics.QUERY_DURATION)
			.tag("pool", pool)
			.timers()
			.stream()
			.mapToLong(io.micrometer.core.instrument.Timer::count)
			.sum();
	}

	@Test
	void badSettingOfANamedPoolNamesItsProperty() {
		this.contextRunner
			.withPropertyValues("DATABASE_URL=" + primary.databaseUrl(),
					"db.pool.additional.reports.url=" + reports.databaseUrl(),
					"db.pool.additional.reports.connection-limit=0")
			.run((context) -> assertThat(context).getFailure()
				.isInstanceOf(InvalidDbPoolSettingException.class)
				.hasMessageContaining("db.pool.additional.reports.connection-limit"));
	}

	@Test
	void applicationWideSettingUnderANamedPoolIsRefused() {
		this.contextRunner
			.withPropertyValues("DATABASE_URL=" + primary.databaseUrl(),
					"db.pool.additional.reports.url=" + reports.databaseUrl(),
					"db.pool.additional.reports.retry.max-attempts=5")
			.run((context) -> assertThat(context).getFailure()
				.isInstanceOf(InvalidDbPoolSettingException.class)
				.hasMessageContaining("db.pool.additional.reports.retry.max-attempts")
				.hasMessageContaining("db.pool.retry applies to the whole application"));
	}

	@Test
	void namedPoolWithoutUrlIsRefused() {
		this.contextRunner
			.withPropertyValues("DATABASE_URL=" + primary.databaseUrl(),
					"db.pool.additional.reports.connection-limit=2")
			.run((context) -> assertThat(context).getFailure()
				.isInstanceOf(InvalidDbPoolSettingException.class)
				.hasMessageContaining("db.pool.additional.reports.url"));
	}

}
