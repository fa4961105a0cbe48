package dev.dbpool.datasource;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.DbPoolAutoConfiguration;
import dev.dbpool.config.DbPoolEnvironmentPostProcessor;
import dev.dbpool.config.DbPoolProperties;
import dev.dbpool.testsupport.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;

class DbPoolScalingAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DbPoolAutoConfiguration.class, DbPoolScalingAutoConfiguration.class,
				DataSourceAutoConfiguration.class))
		.withInitializer((context) -> new DbPoolEnvironmentPostProcessor()
			.postProcessEnvironment(context.getEnvironment(), new SpringApplication()));

	@Test
	void backsOffWhenTheApplicationDefinesItsOwnDataSource() {
		this.contextRunner.withBean("dataSource", DataSource.class, SimpleDriverDataSource::new)
			.withPropertyValues("db.pool.replica.url=postgresql://app:secret@replica:5432/app")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(DataSource.class);
				assertThat(context).doesNotHaveBean(ReplicaRoutingDataSource.class);
				assertThat(context).doesNotHaveBean(ServerSetupInspection.class);
				assertThat(context).doesNotHaveBean(ConnectionBudgetContributor.class);
			});
	}

	@Test
	void blankReplicaUrlConfiguresNoReplica() {
		this.contextRunner
			.withPropertyValues("db.pool.url=" + TestDatabase.shared().databaseUrl(), "db.pool.replica.url=  ")
			.run((context) -> {
				assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
				assertThat(context).doesNotHaveBean("dbPoolReplicaDataSource");
				assertThat(context).hasSingleBean(ServerSetupInspection.class);
			});
	}

	@Test
	void connectionBudgetGaugesReportTheFleetAndTheServerSlotsMeasuredAtStartup() {
		this.contextRunner
			.withPropertyValues("db.pool.url=" + TestDatabase.shared().databaseUrl(), "db.pool.connection-limit=4",
					"db.pool.instances=3")
			.run((context) -> {
				SimpleMeterRegistry registry = new SimpleMeterRegistry();
				context.getBean(ConnectionBudgetMeterBinder.class).bindTo(registry);
				ConnectionBudget budget = context.getBean(ServerSetupInspection.class).startupBudget();
				assertThat(budget).isNotNull();
				assertThat(registry.get(ConnectionBudgetMeterBinder.FLEET).gauge().value()).isEqualTo(12.0);
				assertThat(registry.get(ConnectionBudgetMeterBinder.AVAILABLE).gauge().value())
					.isEqualTo(budget.available())
					.isPositive();
				assertThat(registry.get(ConnectionBudgetMeterBinder.FLEET).gauge().getId().getTag("pool"))
					.isEqualTo(context.getBean(HikariDataSource.class).getPoolName());
			});
	}

	@Test
	void budgetGaugesAreAbsentUntilTheBudgetIsMeasured() {
		TestDatabase database = TestDatabase.shared();
		PoolDefinition definition = PoolDefinitionLoader.load(new DbPoolProperties(),
				new org.springframework.mock.env.MockEnvironment().withProperty("db.pool.url", database.databaseUrl()),
				null);
		ServerSetupInspection inspection = new ServerSetupInspection(definition, null, new org.postgresql.Driver());
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new ConnectionBudgetMeterBinder(inspection, "absent").bindTo(registry);
		assertThat(registry.find(ConnectionBudgetMeterBinder.FLEET).gauge()).isNull();
		assertThat(registry.find(ConnectionBudgetMeterBinder.AVAILABLE).gauge()).isNull();
		inspection.inspect();
		assertThat(registry.get(ConnectionBudgetMeterBinder.AVAILABLE).gauge().value()).isPositive();
	}

	@Test
	void withoutMicrometerNoBudgetGaugesAreRegistered() {
		this.contextRunner.withPropertyValues("db.pool.url=" + TestDatabase.shared().databaseUrl())
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(ServerSetupInspection.class);
				assertThat(context).doesNotHaveBean(ConnectionBudgetMeterBinder.class);
			});
	}

}
