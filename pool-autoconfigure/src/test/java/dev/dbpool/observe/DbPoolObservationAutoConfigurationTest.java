package dev.dbpool.observe;

import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.DbPoolAutoConfiguration;
import dev.dbpool.config.DbPoolSettings.Source;
import dev.dbpool.config.DbPoolSettings;
import dev.dbpool.config.PoolSettingTable;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class DbPoolObservationAutoConfigurationTest {

	private static final TestDatabase database = TestDatabase.shared();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DbPoolAutoConfiguration.class, DataSourceAutoConfiguration.class,
				DbPoolObservationAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=" + database.jdbcUrl(),
				"spring.datasource.username=" + database.username(),
				"spring.datasource.password=" + database.password());

	@Test
	void hikariDataSourceIsWrappedAndStillUnwrapsToThePool() {
		this.contextRunner.run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			assertThat(dataSource).isInstanceOf(ObservedDataSource.class);
			assertThat(DataSourceUnwrapper.unwrap(dataSource, HikariConfigMXBean.class, HikariDataSource.class))
				.isNotNull();
			try (var connection = dataSource.getConnection()) {
				connection.createStatement().execute("SELECT 1");
			}
			assertThat(((ObservedDataSource) dataSource).getObserver().statistics().queriesExecuted()).isEqualTo(1);
		});
	}

	@Test
	void observationDisabledLeavesThePoolUnwrapped() {
		this.contextRunner.withPropertyValues("db.pool.observation.enabled=false").run((context) -> {
			assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
			assertThat(context).doesNotHaveBean(ObservedDataSourceFactory.class);
		});
	}

	@Test
	void dataSourceAlreadyWrappedByTheUserIsNotWrappedAgain() {
		this.contextRunner.withUserConfiguration(UserWrappedDataSource.class).run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			assertThat(dataSource).isSameAs(UserWrappedDataSource.wrapped);
		});
	}

	@Test
	void slowQueryThresholdComesFromThePropertyFirst() {
		this.contextRunner.withUserConfiguration(EffectiveSettings.class)
			.withPropertyValues("db.pool.slow-query.threshold=250ms")
			.run((context) -> assertThat(context.getBean(ObservedDataSourceFactory.class).slowQueryThreshold())
				.isEqualTo(Duration.ofMillis(250)));
	}

	@Test
	void slowQueryThresholdFallsBackToTheEffectiveSettings() {
		this.contextRunner.withUserConfiguration(EffectiveSettings.class)
			.run((context) -> assertThat(context.getBean(ObservedDataSourceFactory.class).slowQueryThreshold())
				.isEqualTo(Duration.ofMillis(1500)));
	}

	@Test
	void slowQueryThresholdDefaultsToOneSecond() {
		this.contextRunner
			.run((context) -> assertThat(context.getBean(ObservedDataSourceFactory.class).slowQueryThreshold())
				.isEqualTo(Duration.ofSeconds(1)));
	}

	@Test
	void slowQueryLogDisabledKeepsStatisticsButNoHistory() {
		this.contextRunner.withPropertyValues("db.pool.slow-query.enabled=false").run((context) -> {
			ObservedDataSource dataSource = (ObservedDataSource) context.getBean(DataSource.class);
			assertThat(dataSource.getObserver().slowQueryLog()).isNull();
		});
	}

	@Test
	void backsOffWithoutHikari() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HikariDataSource.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ObservedDataSourceFactory.class)
				.doesNotHaveBean(PoolPressureWatcher.class));
	}

	@Test
	void poolPressureWatcherIsRegisteredEvenWithObservationOff() {
		this.contextRunner.withPropertyValues("db.pool.observation.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(PoolPressureWatcher.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserWrappedDataSource {

		static DataSource wrapped;

		@Bean
		DataSource dataSource() {
			HikariDataSource pool = new HikariDataSource();
			pool.setJdbcUrl(database.jdbcUrl());
			pool.setUsername(database.username());
			pool.setPassword(database.password());
			wrapped = new ObservedDataSource(pool, QueryObserver.of("user", null));
			return wrapped;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class EffectiveSettings {

		@Bean
		DbPoolSettings dbPoolSettings() {
			return DbPoolSettings.builder()
				.put(PoolSettingTable.SLOW_QUERY_THRESHOLD, Duration.ofMillis(1500), Source.URL)
				.build();
		}

	}

}
