package dev.dbpool.endpoint;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Whether {@code /metrics/database} is served on the application port: as
 * {@code db.pool.endpoint.enabled} says when it is set; otherwise only while Actuator
 * shares the application port. An operator who moved Actuator to its own port (or
 * switched its HTTP side off with {@code management.server.port=-1}) wants management
 * data off the public port, so the snapshot goes with it.
 */
final class ApplicationPortEndpointCondition extends SpringBootCondition {

	static final String ENABLED_PROPERTY = "db.pool.endpoint.enabled";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Environment environment = context.getEnvironment();
		Boolean enabled = environment.getProperty(ENABLED_PROPERTY, Boolean.class);
		if (enabled != null) {
			return new ConditionOutcome(enabled, ENABLED_PROPERTY + "=" + enabled);
		}
		if (separateManagementPort(environment)) {
			return ConditionOutcome
				.noMatch("management.server.port=" + environment.getProperty("management.server.port")
						+ " takes Actuator off the application port; set " + ENABLED_PROPERTY
						+ "=true to serve the snapshot there too");
		}
		return ConditionOutcome.match("Actuator shares the application port and " + ENABLED_PROPERTY + " is unset");
	}

	/**
	 * Boot's own rule ({@code ManagementPortType}): a port of 0 is random, so different.
	 */
	static boolean separateManagementPort(Environment environment) {
		Integer managementPort = environment.getProperty("management.server.port", Integer.class);
		if (managementPort == null) {
			return false;
		}
		if (managementPort < 0) {
			return true;
		}
		Integer serverPort = environment.getProperty("server.port", Integer.class);
		if (serverPort == null) {
			return managementPort != 8080;
		}
		return managementPort == 0 || !managementPort.equals(serverPort);
	}

}
