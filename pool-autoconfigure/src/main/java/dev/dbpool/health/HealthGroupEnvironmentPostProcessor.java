package dev.dbpool.health;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;

/**
 * Puts the pool health indicator into Spring Boot's {@code readiness} health group, as
 * default properties that any property the application sets overrides: probes on, the
 * group made of {@code readinessState} and {@code db}, and its details shown. Runs after
 * the application's configuration files are loaded, so it can tell what the user set.
 * Liveness is left alone: it must never depend on the database.
 */
public final class HealthGroupEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String PROBES_ENABLED = "management.endpoint.health.probes.enabled";

	static final String READINESS_INCLUDE = "management.endpoint.health.group.readiness.include";

	static final String READINESS_SHOW_DETAILS = "management.endpoint.health.group.readiness.show-details";

	static final String GLOBAL_SHOW_DETAILS = "management.endpoint.health.show-details";

	/** Members of the readiness group unless the application names its own. */
	static final String READINESS_MEMBERS = "readinessState," + DbPoolHealthAutoConfiguration.INDICATOR_NAME;

	private static final String HEALTH_ENDPOINT_CLASS = "org.springframework.boot.health.actuate.endpoint.HealthEndpoint";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!ClassUtils.isPresent(HEALTH_ENDPOINT_CLASS, application.getClassLoader())) {
			return;
		}
		Binder binder = Binder.get(environment);
		if (!binder.bind("db.pool.health.enabled", Boolean.class).orElse(true)) {
			return;
		}
		Map<String, Object> defaults = new LinkedHashMap<>();
		if (!isSet(binder, PROBES_ENABLED)) {
			defaults.put(PROBES_ENABLED, "true");
		}
		if (!isSet(binder, READINESS_INCLUDE) && isDbIndicatorEnabled(binder)) {
			defaults.put(READINESS_INCLUDE, READINESS_MEMBERS);
		}
		if (!isSet(binder, READINESS_SHOW_DETAILS) && !isSet(binder, GLOBAL_SHOW_DETAILS)) {
			defaults.put(READINESS_SHOW_DETAILS, "always");
		}
		DefaultPropertiesPropertySource.addOrMerge(defaults, environment.getPropertySources());
	}

	private static boolean isDbIndicatorEnabled(Binder binder) {
		boolean defaults = binder.bind("management.health.defaults.enabled", Boolean.class).orElse(true);
		return binder.bind("management.health.db.enabled", Boolean.class).orElse(defaults);
	}

	private static boolean isSet(Binder binder, String name) {
		return binder.bind(name, Bindable.of(Object.class)).isBound()
				|| binder.bind(name, Bindable.listOf(String.class)).isBound();
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
