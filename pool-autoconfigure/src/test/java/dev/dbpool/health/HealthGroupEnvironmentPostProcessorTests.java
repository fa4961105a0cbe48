package dev.dbpool.health;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.test.context.support.TestPropertySourceUtils;

import static org.assertj.core.api.Assertions.assertThat;

class HealthGroupEnvironmentPostProcessorTests {

	private final HealthGroupEnvironmentPostProcessor postProcessor = new HealthGroupEnvironmentPostProcessor();

	@Test
	void putsTheDatabaseIntoTheReadinessGroupWithDetails() {
		StandardEnvironment environment = postProcess();
		assertThat(environment.getProperty("management.endpoint.health.group.readiness.include"))
			.isEqualTo("readinessState,db");
		assertThat(environment.getProperty("management.endpoint.health.probes.enabled")).isEqualTo("true");
		assertThat(environment.getProperty("management.endpoint.health.group.readiness.show-details"))
			.isEqualTo("always");
		assertThat(environment.getProperty("management.endpoint.health.group.liveness.include")).isNull();
	}

	@Test
	void leavesAReadinessGroupTheApplicationConfiguredAlone() {
		StandardEnvironment environment = postProcess("management.endpoint.health.group.readiness.include[0]=custom",
				"management.endpoint.health.show-details=never");
		assertThat(environment.getProperty("management.endpoint.health.group.readiness.include")).isNull();
		assertThat(environment.getProperty("management.endpoint.health.group.readiness.show-details")).isNull();
	}

	@Test
	void addsNothingToReadinessWhenTheDatabaseIndicatorIsOff() {
		assertThat(postProcess("management.health.db.enabled=false")
			.getProperty("management.endpoint.health.group.readiness.include")).isNull();
		assertThat(postProcess("db.pool.health.enabled=false")
			.getProperty("management.endpoint.health.group.readiness.include")).isNull();
	}

	private StandardEnvironment postProcess(String... properties) {
		StandardEnvironment environment = new StandardEnvironment();
		TestPropertySourceUtils.addInlinedPropertiesToEnvironment(environment, properties);
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		return environment;
	}

}
