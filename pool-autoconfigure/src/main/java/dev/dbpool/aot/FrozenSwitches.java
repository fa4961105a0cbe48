package dev.dbpool.aot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.dbpool.datasource.AdditionalPools;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.MethodMetadata;
import org.springframework.util.ClassUtils;

/**
 * The switches that decide which of the starter's beans exist (exposure and topology):
 * every environment-reading condition on its configurations, and the names of the
 * additional pools. Recorded when the application is processed ahead of time, checked
 * again when it starts in AOT mode.
 */
public final class FrozenSwitches {

	static final String ADDITIONAL_POOLS = AdditionalPools.PREFIX;

	private FrozenSwitches() {
	}

	/**
	 * The build-time state: the outcome of each site that mattered to the bean factory
	 * being processed, and the additional pool names.
	 * @param beanFactory the bean factory AOT processing refreshed
	 * @param environment the build-time environment
	 * @return outcome by switch key, {@code true}/{@code false} for sites
	 */
	static Map<String, String> record(ConfigurableListableBeanFactory beanFactory, Environment environment) {
		ClassLoader classLoader = beanFactory.getBeanClassLoader();
		Registered registered = Registered.of(beanFactory);
		ConditionContext context = new EnvironmentConditionContext(environment, classLoader);
		Map<String, String> state = new LinkedHashMap<>();
		for (ConditionSite site : ConditionSite.all(classLoader)) {
			if (site.enclosingClass() != null && !registered.containsClass(site.enclosingClass())) {
				// Inside a configuration that did not apply: nothing here is decided.
				continue;
			}
			boolean match = site.evaluate(context).isMatch();
			if (match && !registered.contains(site)) {
				// Other conditions (beans, classes) kept it out; the switch does not
				// matter.
				continue;
			}
			state.put(site.key(), Boolean.toString(match));
		}
		state.put(ADDITIONAL_POOLS, String.join(",", AdditionalPools.names(environment)));
		return state;
	}

	/**
	 * Compare the run-time environment with the build-time state. Called by the code AOT
	 * processing generated, before any bean is created.
	 * @param environment the run-time environment
	 * @param recorded the build-time state as key, value pairs
	 * @throws AotSettingsMismatchException listing every switch the run-time settings
	 * change
	 */
	public static void verify(Environment environment, String... recorded) {
		Map<String, String> buildTime = new LinkedHashMap<>();
		for (int i = 0; i + 1 < recorded.length; i += 2) {
			buildTime.put(recorded[i], recorded[i + 1]);
		}
		List<String> mismatches = mismatches(environment, buildTime, ClassUtils.getDefaultClassLoader());
		if (!mismatches.isEmpty()) {
			throw new AotSettingsMismatchException(mismatches);
		}
	}

	static List<String> mismatches(Environment environment, Map<String, String> buildTime,
			@Nullable ClassLoader classLoader) {
		ConditionContext context = new EnvironmentConditionContext(environment, classLoader);
		List<String> mismatches = new ArrayList<>();
		for (ConditionSite site : ConditionSite.all(classLoader)) {
			String built = buildTime.get(site.key());
			if (built == null) {
				continue;
			}
			ConditionOutcome now = site.evaluate(context);
			if (now.isMatch() != Boolean.parseBoolean(built)) {
				mismatches.add(site.displayName() + ": " + (Boolean.parseBoolean(built) ? "present" : "absent")
						+ " in the AOT build, " + (now.isMatch() ? "present" : "absent") + " with the run-time "
						+ "settings (" + now.getMessage() + ")");
			}
		}
		String builtPools = buildTime.getOrDefault(ADDITIONAL_POOLS, "");
		String pools = String.join(",", AdditionalPools.names(environment));
		if (!builtPools.equals(pools)) {
			mismatches.add(ADDITIONAL_POOLS + ".<name>: pools [" + builtPools + "] in the AOT build, [" + pools
					+ "] with the run-time settings");
		}
		return mismatches;
	}

	/** What the processed bean factory holds: configuration classes and bean methods. */
	private record Registered(Set<String> classes, Set<String> methods) {

		static Registered of(ConfigurableListableBeanFactory beanFactory) {
			Set<String> classes = new java.util.HashSet<>();
			Set<String> methods = new java.util.HashSet<>();
			for (String name : beanFactory.getBeanDefinitionNames()) {
				BeanDefinition definition = beanFactory.getBeanDefinition(name);
				if (definition.getBeanClassName() != null) {
					classes.add(userClassName(definition.getBeanClassName()));
				}
				if (definition instanceof AnnotatedBeanDefinition annotated) {
					MethodMetadata method = annotated.getFactoryMethodMetadata();
					if (method != null) {
						methods.add(method.getDeclaringClassName() + "#" + method.getMethodName());
					}
				}
			}
			return new Registered(classes, methods);
		}

		private static String userClassName(String name) {
			int generated = name.indexOf(ClassUtils.CGLIB_CLASS_SEPARATOR);
			return (generated >= 0) ? name.substring(0, generated) : name;
		}

		boolean containsClass(Class<?> type) {
			return this.classes.contains(type.getName());
		}

		boolean contains(ConditionSite site) {
			return (site.methodName() != null) ? this.methods.contains(site.key())
					: containsClass(site.configurationClass());
		}

	}

	/**
	 * Conditions evaluated against an environment alone, in a bean factory of their own.
	 */
	private record EnvironmentConditionContext(Environment environment,
			@Nullable ClassLoader classLoader) implements ConditionContext {

		@Override
		public BeanDefinitionRegistry getRegistry() {
			return new DefaultListableBeanFactory();
		}

		@Override
		public ConfigurableListableBeanFactory getBeanFactory() {
			return new DefaultListableBeanFactory();
		}

		@Override
		public Environment getEnvironment() {
			return this.environment;
		}

		@Override
		public ResourceLoader getResourceLoader() {
			return new DefaultResourceLoader(this.classLoader);
		}

		@Override
		public @Nullable ClassLoader getClassLoader() {
			return this.classLoader;
		}

	}

}
