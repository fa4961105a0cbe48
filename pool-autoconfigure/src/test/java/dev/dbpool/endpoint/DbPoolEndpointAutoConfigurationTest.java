package dev.dbpool.endpoint;

import dev.dbpool.DbPoolAutoConfiguration;
import dev.dbpool.observe.DbPoolObservationAutoConfiguration;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class DbPoolEndpointAutoConfigurationTest {

	private static final TestDatabase database = TestDatabase.shared();

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
				DataSourceAutoConfiguration.class, DbPoolAutoConfiguration.class,
				DbPoolObservationAutoConfiguration.class, DbPoolEndpointAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=" + database.jdbcUrl(),
				"spring.datasource.username=" + database.username(),
				"spring.datasource.password=" + database.password(),
				"management.endpoints.web.exposure.include=database");

	@Test
	void bothEndpointsAreRegisteredByDefault() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(DatabaseMetricsController.class)
			.hasSingleBean(DatabaseEndpoint.class)
			.hasSingleBean(DatabaseSnapshotProvider.class));
	}

	@Test
	void applicationPortEndpointCanBeDisabled() {
		this.contextRunner.withPropertyValues("db.pool.endpoint.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DatabaseMetricsController.class)
				.hasSingleBean(DatabaseEndpoint.class));
	}

	@Test
	void applicationPortEndpointIsReadOnlyByDefault() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(DatabaseMetricsResetController.class));
	}

	@Test
	void resetOnTheApplicationPortIsAnExplicitOptIn() {
		this.contextRunner.withPropertyValues("db.pool.endpoint.reset-enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(DatabaseMetricsResetController.class));
	}

	@Test
	void separateManagementPortTakesTheSnapshotOffTheApplicationPort() {
		this.contextRunner.withPropertyValues("server.port=8080", "management.server.port=8081")
			.run((context) -> assertThat(context).doesNotHaveBean(DatabaseMetricsController.class)
				.hasSingleBean(DatabaseEndpoint.class));
		this.contextRunner.withPropertyValues("management.server.port=9090")
			.run((context) -> assertThat(context).doesNotHaveBean(DatabaseMetricsController.class));
		this.contextRunner.withPropertyValues("management.server.port=-1")
			.run((context) -> assertThat(context).doesNotHaveBean(DatabaseMetricsController.class));
	}

	@Test
	void sameManagementPortKeepsTheSnapshotOnTheApplicationPort() {
		this.contextRunner.withPropertyValues("server.port=8085", "management.server.port=8085")
			.run((context) -> assertThat(context).hasSingleBean(DatabaseMetricsController.class));
		this.contextRunner.withPropertyValues("management.server.port=8080")
			.run((context) -> assertThat(context).hasSingleBean(DatabaseMetricsController.class));
	}

	@Test
	void explicitlyEnabledApplicationPortEndpointStaysWithASeparateManagementPort() {
		this.contextRunner.withPropertyValues("management.server.port=8081", "db.pool.endpoint.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(DatabaseMetricsController.class));
	}

	@Test
	void actuatorEndpointCanBeDisabled() {
		this.contextRunner.withPropertyValues("management.endpoint.database.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(DatabaseEndpoint.class)
				.hasSingleBean(DatabaseMetricsController.class));
	}

	@Test
	void noApplicationPortEndpointOutsideAWebApplication() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, DbPoolAutoConfiguration.class,
					DbPoolEndpointAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=" + database.jdbcUrl(),
					"spring.datasource.username=" + database.username(),
					"spring.datasource.password=" + database.password())
			.run((context) -> assertThat(context).doesNotHaveBean(DatabaseMetricsController.class)
				.hasSingleBean(DatabaseSnapshotProvider.class));
	}

	@Test
	void backsOffWithoutHikari() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(com.zaxxer.hikari.HikariDataSource.class))
			.run((context) -> assertThat(context).doesNotHaveBean(DatabaseSnapshotProvider.class));
	}

	@Test
	void userSnapshotProviderWins() {
		this.contextRunner
			.withBean("userProvider", DatabaseSnapshotProvider.class,
					() -> new DatabaseSnapshotProvider(new org.springframework.jdbc.datasource.SimpleDriverDataSource(),
							() -> null, java.util.List::of, null, java.time.Clock.systemUTC()))
			.run((context) -> assertThat(context).hasSingleBean(DatabaseSnapshotProvider.class)
				.hasBean("userProvider"));
	}

}
