package dev.dbpool;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.datasource.PoolDataSourceFactory;
import dev.dbpool.testsupport.TestDatabase;
import jakarta.persistence.EntityManagerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second DataSource in a full Boot application with JPA (Hibernate): a secondary one
 * ({@code @Bean(defaultCandidate = false)}) leaves the starter's pool in charge, a plain
 * one makes the starter back off and say so.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecondaryDataSourceTests {

	private static TestDatabase primary;

	private static TestDatabase other;

	@BeforeAll
	static void createDatabases() {
		primary = TestDatabase.shared().newDatabase("jpaprimary");
		other = TestDatabase.shared().newDatabase("jpaother");
	}

	@Test
	void secondaryDataSourceLeavesTheStartersPoolToJpa(CapturedOutput output) {
		try (ConfigurableApplicationContext context = start(SecondaryDataSourceApplication.class)) {
			DataSource dataSource = context.getBean(DataSource.class);
			HikariDataSource pool = PoolDataSourceFactory.pool(dataSource);
			assertThat(pool.getPoolName()).isEqualTo("jpa-orders");
			EntityManagerFactory entityManagerFactory = context.getBean(EntityManagerFactory.class);
			try (EntityManager entityManager = entityManagerFactory.createEntityManager()) {
				Object database = entityManager.createNativeQuery("SELECT current_database()").getSingleResult();
				Object applicationName = entityManager.createNativeQuery("SELECT current_setting('application_name')")
					.getSingleResult();
				assertThat(database).isEqualTo(primary.database());
				assertThat(applicationName).isEqualTo("jpa-orders");
			}
			assertThat(context.getBean(JdbcTemplate.class).queryForObject("SELECT current_database()", String.class))
				.isEqualTo(primary.database());
			// The secondary is still there for whoever asks for it by name.
			assertThat(new JdbcTemplate(context.getBean("otherDataSource", DataSource.class))
				.queryForObject("SELECT current_database()", String.class)).isEqualTo(other.database());
		}
		assertThat(output).doesNotContain("dbpool builds no pool");
	}

	@Test
	void plainSecondDataSourceMakesTheStarterBackOffWithOneLineSayingWhy(CapturedOutput output) {
		try (ConfigurableApplicationContext context = start(UserDataSourceApplication.class)) {
			assertThat(context.getBean(DataSource.class)).isInstanceOf(SimpleDriverDataSource.class);
			assertThat(context.getBeanNamesForType(dev.dbpool.config.DbPoolSettings.class)).isEmpty();
		}
		assertThat(output).containsOnlyOnce("dbpool builds no pool");
		assertThat(output).contains("defines DataSource bean 'userDataSource'", "@Bean(defaultCandidate = false)");
	}

	@Test
	void additionalPoolHasItsHealthComponentAndPoolMetricsInAFullApplication() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SecondaryDataSourceApplication.class)
			.web(WebApplicationType.NONE)
			.properties("DATABASE_URL=" + primary.databaseUrl(), "spring.application.name=jpa-orders",
					"spring.jpa.hibernate.ddl-auto=none", "db.pool.health.readiness-path=",
					"db.pool.additional.reports.url=" + other.databaseUrl())
			.run()) {
			HealthContributorRegistry health = context.getBean(HealthContributorRegistry.class);
			assertThat(health.getContributor("dbReports")).isNotNull();
			assertThat(health.getContributor("db")).isNotNull();
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.find("hikaricp.connections.max").tag("pool", "jpa-orders-reports").gauge()).isNotNull();
			assertThat(meters.find("hikaricp.connections.max").tag("pool", "jpa-orders").gauge()).isNotNull();
			// JPA still on the primary.
			try (EntityManager entityManager = context.getBean(EntityManagerFactory.class).createEntityManager()) {
				assertThat(entityManager.createNativeQuery("SELECT current_database()").getSingleResult())
					.isEqualTo(primary.database());
			}
		}
	}

	private static ConfigurableApplicationContext start(Class<?> application) {
		return new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
			.properties("DATABASE_URL=" + primary.databaseUrl(), "spring.application.name=jpa-orders",
					"spring.jpa.hibernate.ddl-auto=none", "spring.jpa.open-in-view=false",
					"db.pool.health.readiness-path=")
			.run();
	}

	private static SimpleDriverDataSource otherDatabase() {
		return new SimpleDriverDataSource(new org.postgresql.Driver(), other.jdbcUrl(), other.username(),
				other.password());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class SecondaryDataSourceApplication {

		@Bean(defaultCandidate = false)
		DataSource otherDataSource() {
			return otherDatabase();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class UserDataSourceApplication {

		@Bean
		DataSource userDataSource() {
			return otherDatabase();
		}

	}

}
