package dev.dbpool;

import javax.sql.DataSource;

import dev.dbpool.datasource.PoolDataSourceFactory;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.flyway.autoconfigure.FlywayDataSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flyway next to a secondary DataSource ({@code @Bean(defaultCandidate = false)}): it
 * migrates the starter's primary pool, and the secondary only when the application marks
 * it {@code @FlywayDataSource}.
 */
class FlywayWithSecondaryDataSourceTests {

	private static TestDatabase primary;

	private static TestDatabase other;

	@BeforeEach
	void createDatabases() {
		primary = TestDatabase.shared().newDatabase("flywayprimary");
		other = TestDatabase.shared().newDatabase("flywayother");
	}

	@Test
	void flywayMigratesTheStartersPoolAndLeavesTheSecondaryAlone() {
		try (ConfigurableApplicationContext context = start(SecondaryApplication.class)) {
			DataSource dataSource = context.getBean(DataSource.class);
			assertThat(PoolDataSourceFactory.pool(dataSource).getPoolName()).isEqualTo("flyway-orders");
			assertThat(migrated(primary)).isTrue();
			assertThat(migrated(other)).isFalse();
		}
	}

	@Test
	void flywayDataSourceSelectsTheSecondaryWhenTheApplicationAsks() {
		try (ConfigurableApplicationContext context = start(FlywaySecondaryApplication.class)) {
			// The starter's pool is still the application's DataSource.
			assertThat(PoolDataSourceFactory.pool(context.getBean(DataSource.class)).getPoolName())
				.isEqualTo("flyway-orders");
			assertThat(migrated(other)).isTrue();
			assertThat(migrated(primary)).isFalse();
		}
	}

	private static ConfigurableApplicationContext start(Class<?> application) {
		return new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
			.properties("DATABASE_URL=" + primary.databaseUrl(), "spring.application.name=flyway-orders",
					"spring.flyway.locations=classpath:db/flyway-test", "db.pool.health.readiness-path=")
			// Above the test classpath's application.properties, which turns Flyway off.
			.run("--spring.flyway.enabled=true");
	}

	/** Whether Flyway's migration ran on the database: its table and its history row. */
	private static boolean migrated(TestDatabase database) {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource(database));
		Boolean table = jdbc.queryForObject("SELECT to_regclass('public.migrated_marker') IS NOT NULL", Boolean.class);
		Boolean history = jdbc.queryForObject("SELECT to_regclass('public.flyway_schema_history') IS NOT NULL",
				Boolean.class);
		if (Boolean.TRUE.equals(history)) {
			assertThat(jdbc.queryForObject("SELECT count(*) FROM flyway_schema_history WHERE success", Integer.class))
				.isEqualTo(1);
		}
		return Boolean.TRUE.equals(table) && Boolean.TRUE.equals(history);
	}

	private static SimpleDriverDataSource dataSource(TestDatabase database) {
		return new SimpleDriverDataSource(new org.postgresql.Driver(), database.jdbcUrl(), database.username(),
				database.password());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class SecondaryApplication {

		@Bean(defaultCandidate = false)
		DataSource otherDataSource() {
			return dataSource(other);
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class FlywaySecondaryApplication {

		@Bean(defaultCandidate = false)
		@FlywayDataSource
		DataSource otherDataSource() {
			return dataSource(other);
		}

	}

}
