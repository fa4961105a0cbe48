package dev.dbpool.observe;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import dev.dbpool.DbPoolAutoConfiguration;
import dev.dbpool.testsupport.TestDatabase;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Statements and connection acquisitions as Micrometer Observations. */
class QueryTracingTest {

	private static final TestDatabase database = TestDatabase.shared();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DbPoolAutoConfiguration.class, DataSourceAutoConfiguration.class,
				DbPoolObservationAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=" + database.jdbcUrl(),
				"spring.datasource.username=" + database.username(),
				"spring.datasource.password=" + database.password());

	@Test
	void statementIsAQueryObservationWithItsShapeAsHighCardinality() {
		this.contextRunner.withUserConfiguration(TestRegistry.class).run((context) -> {
			TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
			try (Connection connection = context.getBean(DataSource.class).getConnection();
					PreparedStatement statement = connection
						.prepareStatement("SELECT 'secret literal' AS label, ? AS id WHERE 1 = 1")) {
				statement.setInt(1, 42);
				try (ResultSet result = statement.executeQuery()) {
					assertThat(result.next()).isTrue();
				}
			}
			TestObservationRegistryAssert.assertThat(registry)
				.hasObservationWithNameEqualTo("jdbc.query")
				.that()
				.hasContextualNameEqualTo("query")
				.hasBeenStarted()
				.hasBeenStopped()
				.hasLowCardinalityKeyValue("jdbc.datasource.name", "dataSource")
				.hasLowCardinalityKeyValue("jdbc.statement.kind", "select")
				.hasHighCardinalityKeyValue("jdbc.query", "SELECT ? AS label, ? AS id WHERE ? = ?")
				.doesNotHaveLowCardinalityKeyValueWithKey("jdbc.query")
				.doesNotHaveError();
		});
	}

	@Test
	void connectionAcquisitionIsAConnectionObservation() {
		this.contextRunner.withUserConfiguration(TestRegistry.class).run((context) -> {
			TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
			try (Connection connection = context.getBean(DataSource.class).getConnection()) {
				assertThat(connection.isValid(1)).isTrue();
			}
			TestObservationRegistryAssert.assertThat(registry)
				.hasNumberOfObservationsWithNameEqualTo("jdbc.connection", 1)
				.hasObservationWithNameEqualTo("jdbc.connection")
				.that()
				.hasContextualNameEqualTo("connection")
				.hasBeenStopped()
				.hasLowCardinalityKeyValue("jdbc.datasource.name", "dataSource");
			TestObservationRegistryAssert.assertThat(registry).hasNumberOfObservationsWithNameEqualTo("jdbc.query", 0);
		});
	}

	@Test
	void failedStatementIsAnObservationWithItsError() {
		this.contextRunner.withUserConfiguration(TestRegistry.class).run((context) -> {
			TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
			try (Connection connection = context.getBean(DataSource.class).getConnection()) {
				assertThatExceptionOfType(SQLException.class)
					.isThrownBy(() -> connection.createStatement().execute("SELECT * FROM no_such_table"));
			}
			TestObservationRegistryAssert.assertThat(registry)
				.hasObservationWithNameEqualTo("jdbc.query")
				.that()
				.hasBeenStopped()
				.assertThatError()
				.isInstanceOf(SQLException.class);
		});
	}

	@Test
	void queryObservationIsAChildOfTheCurrentObservation() {
		this.contextRunner.withUserConfiguration(TestRegistry.class).run((context) -> {
			TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
			Observation request = Observation.start("request", registry);
			try (Observation.Scope scope = request.openScope();
					Connection connection = context.getBean(DataSource.class).getConnection()) {
				connection.createStatement().execute("SELECT 1");
			}
			request.stop();
			TestObservationRegistryAssert.assertThat(registry)
				.hasObservationWithNameEqualTo("jdbc.query")
				.that()
				.hasParentObservationContextMatching((parent) -> parent.getName().equals("request"));
		});
	}

	@Test
	void registryWithoutHandlersKeepsTheUntracedHotPath() {
		this.contextRunner.withBean(ObservationRegistry.class, ObservationRegistry::create)
			.run((context) -> assertThat(instrumentation(context.getBean(DataSource.class)))
				.isInstanceOf(TimedInstrumentation.class));
	}

	@Test
	void noRegistryKeepsTheUntracedHotPath() {
		this.contextRunner.run((context) -> assertThat(instrumentation(context.getBean(DataSource.class)))
			.isInstanceOf(TimedInstrumentation.class));
	}

	@Test
	void withoutMicrometerObservationOnTheClassPathTheStatementsAreStillTimed() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ObservationRegistry.class)).run((context) -> {
			assertThat(context).doesNotHaveBean(ObservationQueryTracing.class);
			assertThat(instrumentation(context.getBean(DataSource.class))).isInstanceOf(TimedInstrumentation.class);
		});
	}

	@Test
	void observationsTurnedOffKeepTheUntracedHotPathDespiteHandlers() {
		this.contextRunner.withUserConfiguration(TestRegistry.class)
			.withPropertyValues("db.pool.observation.micrometer-observations=never")
			.run((context) -> {
				assertThat(instrumentation(context.getBean(DataSource.class))).isInstanceOf(TimedInstrumentation.class);
			});
	}

	@Test
	void bootsRegistryWithOnlyItsMeterHandlerKeepsTheUntracedPathUnlessAskedForAlways() {
		ApplicationContextRunner withActuator = this.contextRunner.withConfiguration(
				AutoConfigurations.of(MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
						SimpleMetricsExportAutoConfiguration.class, ObservationAutoConfiguration.class));
		withActuator.run((context) -> {
			assertThat(context.getBean(ObservationRegistry.class).isNoop()).isFalse();
			assertThat(instrumentation(context.getBean(DataSource.class))).isInstanceOf(TimedInstrumentation.class);
		});
		withActuator.withPropertyValues("db.pool.observation.micrometer-observations=always")
			.run((context) -> assertThat(instrumentation(context.getBean(DataSource.class)))
				.isInstanceOf(ObservationInstrumentation.class));
	}

	@Test
	void registryWithHandlersTracesThePool() {
		this.contextRunner.withUserConfiguration(TestRegistry.class)
			.run((context) -> assertThat(instrumentation(context.getBean(DataSource.class)))
				.isInstanceOf(ObservationInstrumentation.class));
	}

	@Test
	void userConventionReplacesTheDefaultKeys() {
		this.contextRunner.withUserConfiguration(TestRegistry.class)
			.withBean(QueryObservationConvention.class, () -> new DefaultQueryObservationConvention() {

				@Override
				public String getName() {
					return "app.sql";
				}

			})
			.run((context) -> {
				try (Connection connection = context.getBean(DataSource.class).getConnection()) {
					connection.createStatement().execute("SELECT 1");
				}
				TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
					.hasObservationWithNameEqualTo("app.sql");
			});
	}

	private static Instrumentation instrumentation(DataSource dataSource) {
		return ((ObservedDataSource) dataSource).instrumentation();
	}

	@Configuration(proxyBeanMethods = false)
	static class TestRegistry {

		@Bean
		TestObservationRegistry observationRegistry() {
			return TestObservationRegistry.create();
		}

	}

}
