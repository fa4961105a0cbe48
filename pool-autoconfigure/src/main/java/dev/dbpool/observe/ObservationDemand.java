package dev.dbpool.observe;

import java.lang.reflect.Method;

import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.type.MethodMetadata;
import org.springframework.util.ClassUtils;

/**
 * Whether the pool's statements should be Micrometer Observations, read once from the
 * bean definitions when the pool is built. Spring Boot's actuator always gives its
 * registry a meter handler; Observations that only feed it would repeat the starter's own
 * query timer at several times its cost per query, so {@code auto} makes them only when
 * they become spans, or when the application declared the registry itself.
 */
final class ObservationDemand {

	static final String TRACING_HANDLER = "io.micrometer.tracing.handler.TracingObservationHandler";

	private ObservationDemand() {
	}

	/** {@code db.pool.observation.micrometer-observations}. */
	enum Mode {

		AUTO, ALWAYS, NEVER

	}

	static boolean wanted(Mode mode, ConfigurableListableBeanFactory beanFactory) {
		return switch (mode) {
			case ALWAYS -> true;
			case NEVER -> false;
			case AUTO -> tracingHandlerPresent(beanFactory) || applicationRegistry(beanFactory);
		};
	}

	private static boolean tracingHandlerPresent(ConfigurableListableBeanFactory beanFactory) {
		ClassLoader classLoader = beanFactory.getBeanClassLoader();
		if (!ClassUtils.isPresent(TRACING_HANDLER, classLoader)) {
			return false;
		}
		Class<?> type = ClassUtils.resolveClassName(TRACING_HANDLER, classLoader);
		return beanFactory.getBeanNamesForType(type, true, false).length > 0;
	}

	/** Whether the registry bean is the application's own rather than Spring Boot's. */
	private static boolean applicationRegistry(ConfigurableListableBeanFactory beanFactory) {
		String[] names = beanFactory.getBeanNamesForType(ObservationRegistry.class, true, false);
		if (names.length != 1) {
			return false;
		}
		String origin = origin(beanFactory.getMergedBeanDefinition(names[0]));
		return origin != null && !origin.startsWith("org.springframework.boot.");
	}

	private static @Nullable String origin(BeanDefinition definition) {
		if (definition instanceof AnnotatedBeanDefinition annotated) {
			MethodMetadata factoryMethod = annotated.getFactoryMethodMetadata();
			if (factoryMethod != null) {
				return factoryMethod.getDeclaringClassName();
			}
		}
		if (definition instanceof RootBeanDefinition root) {
			Method factoryMethod = root.getResolvedFactoryMethod();
			if (factoryMethod != null) {
				return factoryMethod.getDeclaringClass().getName();
			}
		}
		return definition.getBeanClassName();
	}

}
