package dev.dbpool.aot;

import java.util.Map;
import java.util.Set;

import dev.dbpool.DbPoolAutoConfiguration;
import dev.dbpool.datasource.DbPoolAdditionalPoolsAutoConfiguration;
import dev.dbpool.config.DbPoolEnvironmentPostProcessor;
import dev.dbpool.datasource.DbPoolScalingAutoConfiguration;
import dev.dbpool.endpoint.DbPoolEndpointAutoConfiguration;
import dev.dbpool.health.DbPoolHealthAutoConfiguration;
import dev.dbpool.observe.DbPoolObservationAutoConfiguration;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class FrozenSwitchesTests {

	private static TestDatabase database;

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DbPoolAutoConfiguration.class, DbPoolScalingAutoConfiguration.class,
				DbPoolAdditionalPoolsAutoConfiguration.class, DbPoolObservationAutoConfiguration.class,
				DbPoolEndpointAutoConfiguration.class, DbPoolHealthAutoConfiguration.class,
				WebMvcAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class))
		.withInitializer((context) -> new DbPoolEnvironmentPostProcessor()
			.postProcessEnvironment(context.getEnvironment(), new SpringApplication()));

	@BeforeAll
	static void createDatabase() {
		database = TestDatabase.shared().newDatabase("frozen");
	}

	@Test
	void everyConditionOnTheStartersConfigurationsIsClassified() {
		Set<String> conditions = ConditionSite.allConditionClasses(ClassUtils.getDefaultClassLoader());
		assertThat(conditions).isNotEmpty();
		assertThat(conditions)
			.allSatisfy((condition) -> assertThat(ConditionSite.ENVIRONMENT_CONDITIONS.contains(condition)
					|| ConditionSite.STATIC_CONDITIONS.contains(condition))
				.as("%s is classified as environment-reading or not", condition)
				.isTrue());
	}

	@Test
	void findsTheEndpointAndReplicaSwitches() {
		assertThat(ConditionSite.all(ClassUtils.getDefaultClassLoader())).extracting(ConditionSite::key)
			.contains(DbPoolEndpointAutoConfiguration.class.getName() + "$ApplicationPortConfiguration",
					DbPoolScalingAutoConfiguration.class.getName() + "$ReplicaConfiguration",
					DbPoolObservationAutoConfiguration.class.getName() + "$QueryObservationConfiguration");
	}

	@Test
	void sameSettingsAtRunTimePass() {
		this.contextRunner.withPropertyValues("DATABASE_URL=" + database.databaseUrl()).run((context) -> {
			Map<String, String> state = FrozenSwitches.record(context.getBeanFactory(), context.getEnvironment());
			assertThat(state).containsEntry(
					DbPoolEndpointAutoConfiguration.class.getName() + "$ApplicationPortConfiguration", "true");
			assertThat(FrozenSwitches.mismatches(context.getEnvironment(), state, context.getClassLoader())).isEmpty();
		});
	}

	@Test
	void endpointSwitchedOffAtRunTimeIsAMismatch() {
		this.contextRunner.withPropertyValues("DATABASE_URL=" + database.databaseUrl()).run((context) -> {
			Map<String, String> state = FrozenSwitches.record(context.getBeanFactory(), context.getEnvironment());
			MockEnvironment runTime = new MockEnvironment().withProperty("db.pool.endpoint.enabled", "false");
			String[] recorded = state.entrySet()
				.stream()
				.flatMap((entry) -> java.util.stream.Stream.of(entry.getKey(), entry.getValue()))
				.toArray(String[]::new);
			assertThatExceptionOfType(AotSettingsMismatchException.class)
				.isThrownBy(() -> FrozenSwitches.verify(runTime, recorded))
				.satisfies((ex) -> assertThat(ex.getMismatches()).singleElement()
					.asString()
					.contains("ApplicationPortConfiguration", "present in the AOT build", "db.pool.endpoint.enabled"))
				.withMessageContaining("process-aot");
		});
	}

	@Test
	void replicaAndAdditionalPoolAddedAtRunTimeAreMismatches() {
		this.contextRunner.withPropertyValues("DATABASE_URL=" + database.databaseUrl()).run((context) -> {
			Map<String, String> state = FrozenSwitches.record(context.getBeanFactory(), context.getEnvironment());
			MockEnvironment runTime = new MockEnvironment().withProperty("db.pool.replica.url", database.databaseUrl())
				.withProperty("db.pool.additional.reports.url", database.databaseUrl());
			assertThat(FrozenSwitches.mismatches(runTime, state, context.getClassLoader()))
				.anySatisfy((mismatch) -> assertThat(mismatch).contains("ReplicaConfiguration",
						"absent in the AOT build", "db.pool.replica.url"))
				.anySatisfy((mismatch) -> assertThat(mismatch).contains("db.pool.additional", "[reports]"));
		});
	}

	@Test
	void switchesInsideConfigurationsThatDidNotApplyAreNotRecorded() {
		this.contextRunner.withPropertyValues("DATABASE_URL=" + database.databaseUrl()).run((context) -> {
			Map<String, String> state = FrozenSwitches.record(context.getBeanFactory(), context.getEnvironment());
			// ReplicaHealthConfiguration sits inside the replica configuration, absent
			// here.
			assertThat(state).doesNotContainKey(DbPoolScalingAutoConfiguration.class.getName()
					+ "$ReplicaConfiguration$ReplicaHealthConfiguration");
		});
	}

}
