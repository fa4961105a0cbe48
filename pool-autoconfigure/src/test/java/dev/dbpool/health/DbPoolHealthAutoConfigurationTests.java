package dev.dbpool.health;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.testsupport.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class DbPoolHealthAutoConfigurationTests {

	private static final TestDatabase database = TestDatabase.shared();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(DataSourceAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class,
						DbPoolHealthAutoConfiguration.class, DataSourceHealthContributorAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=" + database.jdbcUrl(),
				"spring.datasource.username=" + database.username(),
				"spring.datasource.password=" + database.password());

	@Test
	void replacesBootsDatabaseIndicatorWithThePoolIndicator() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(HealthIndicator.class);
			assertThat(context.getBean("dbHealthContributor")).isInstanceOf(PoolHealthIndicator.class);
			assertThat(context).hasSingleBean(ConnectionLeakStatistics.class);
			assertThat(context).hasSingleBean(PoolShutdownLifecycle.class);
		});
	}

	@Test
	void databaseUpGaugeFollowsThePoolIndicator() {
		this.contextRunner.run((context) -> {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(DatabaseUpMeterBinder.class).bindTo(registry);
			assertThat(registry.get(DatabaseUpMeterBinder.DATABASE_UP).gauge().value()).isEqualTo(1.0);
			context.getBean(HikariDataSource.class).close();
			// A closed pool is OUT_OF_SERVICE: not up.
			assertThat(registry.get(DatabaseUpMeterBinder.DATABASE_UP).gauge().value()).isEqualTo(0.0);
		});
	}

	@Test
	void databaseUpGaugeUsesTheApplicationsOwnIndicator() {
		this.contextRunner.withBean("dbHealthIndicator", HealthIndicator.class, () -> () -> Health.down().build())
			.run((context) -> {
				assertThat(context).doesNotHaveBean(PoolHealthIndicator.class);
				SimpleMeterRegistry registry = new SimpleMeterRegistry();
				context.getBean(DatabaseUpMeterBinder.class).bindTo(registry);
				assertThat(registry.get(DatabaseUpMeterBinder.DATABASE_UP).gauge().value()).isEqualTo(0.0);
			});
	}

	@Test
	void withoutMicrometerNoDatabaseUpGaugeIsRegistered() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(PoolHealthIndicator.class);
			assertThat(context).doesNotHaveBean(DatabaseUpMeterBinder.class);
		});
	}

	@Test
	void healthDisabledLeavesDrainAndLeakStatisticsInPlace() {
		this.contextRunner.withPropertyValues("db.pool.health.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(PoolHealthIndicator.class);
			assertThat(context).hasSingleBean(ConnectionLeakStatistics.class);
			assertThat(context).hasSingleBean(PoolShutdownLifecycle.class);
		});
	}

	@Test
	void dbHealthIndicatorDisabledRemovesThePoolIndicator() {
		this.contextRunner.withPropertyValues("management.health.db.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(HealthIndicator.class));
	}

	@Test
	void backsOffWhenTheApplicationDefinesItsOwnDatabaseIndicator() {
		this.contextRunner.withUserConfiguration(UserIndicatorConfiguration.class).run((context) -> {
			assertThat(context).doesNotHaveBean(PoolHealthIndicator.class);
			assertThat(context.getBean("dbHealthIndicator")).isSameAs(UserIndicatorConfiguration.INDICATOR);
		});
	}

	@Test
	void backsOffFromUserLeakStatisticsAndDrain() {
		this.contextRunner.withUserConfiguration(UserLifecycleConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(PoolShutdownLifecycle.class);
			assertThat(context.getBean(PoolShutdownLifecycle.class))
				.isSameAs(context.getBean("customShutdown", PoolShutdownLifecycle.class));
		});
	}

	@Test
	void withoutTheHealthModuleOnlyDrainAndLeakStatisticsAreRegistered() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(PoolHealthIndicator.class);
			assertThat(context).hasSingleBean(PoolShutdownLifecycle.class);
			assertThat(context).hasSingleBean(ConnectionLeakStatistics.class);
		});
	}

	@Test
	void withoutHikariNothingIsRegistered() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ApplicationAvailabilityAutoConfiguration.class,
					DbPoolHealthAutoConfiguration.class))
			.withBean(javax.sql.DataSource.class,
					() -> new org.springframework.jdbc.datasource.SimpleDriverDataSource(new org.postgresql.Driver(),
							database.jdbcUrl(), database.username(), database.password()))
			.withClassLoader(new FilteredClassLoader(com.zaxxer.hikari.HikariDataSource.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(PoolShutdownLifecycle.class);
				assertThat(context).doesNotHaveBean(ConnectionLeakStatistics.class);
			});
	}

	@Test
	void leakLogIsNotHookedWhenLeakDetectionIsOff() {
		this.contextRunner.run((context) -> {
			assertThat(context.getBeanProvider(HikariLeakLogListener.class).getIfAvailable()).isNull();
			assertThat(context.getBean(ConnectionLeakStatistics.class).isDetectionEnabled()).isFalse();
			assertThat(context.getBean(ConnectionLeakStatistics.class).isListening()).isFalse();
		});
	}

	@Test
	void leakLogIsHookedWhenLeakDetectionIsOn() {
		this.contextRunner.withPropertyValues("spring.datasource.hikari.leak-detection-threshold=2000")
			.run((context) -> {
				assertThat(context).hasSingleBean(HikariLeakLogListener.class);
				assertThat(context.getBean(ConnectionLeakStatistics.class).isListening()).isTrue();
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserIndicatorConfiguration {

		static final HealthIndicator INDICATOR = () -> Health.up().build();

		@Bean
		HealthIndicator dbHealthIndicator() {
			return INDICATOR;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserLifecycleConfiguration {

		@Bean
		PoolShutdownLifecycle customShutdown(javax.sql.DataSource dataSource,
				org.springframework.context.ApplicationContext context,
				org.springframework.boot.availability.ApplicationAvailability availability) {
			com.zaxxer.hikari.HikariDataSource pool = DbPoolHealthAutoConfiguration.hikari(dataSource);
			return new PoolShutdownLifecycle(pool,
					new PoolDrain(() -> "custom", () -> 0, java.time.Duration.ofSeconds(1), System::nanoTime), context,
					availability);
		}

	}

}
