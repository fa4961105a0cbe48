package dev.dbpool.aot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.MethodMetadata;
import org.springframework.util.ClassUtils;

/**
 * A configuration class or {@code @Bean} method of the starter whose presence depends on
 * the environment: one of its conditions reads properties (or environment variables)
 * rather than the classpath or other beans. AOT processing decides such a site once, at
 * build time.
 *
 * @param configurationClass the configuration class (the declaring class of a method)
 * @param methodName the {@code @Bean} method, or null for the class itself
 * @param enclosingClass the configuration class this one is nested in, or null
 * @param conditions the environment-reading conditions, by class name
 */
record ConditionSite(Class<?> configurationClass, @Nullable String methodName, @Nullable Class<?> enclosingClass,
		List<String> conditions) {

	/**
	 * Conditions that read the environment alone. Every other condition on the starter's
	 * configurations (class, bean, web application) is decided by the classpath and the
	 * application's own code, which AOT processing sees as they are.
	 */
	static final Set<String> ENVIRONMENT_CONDITIONS = Set.of(
			"org.springframework.boot.autoconfigure.condition.OnPropertyCondition",
			"org.springframework.boot.autoconfigure.condition.OnPropertyListCondition",
			"org.springframework.boot.autoconfigure.condition.OnExpressionCondition",
			"org.springframework.boot.autoconfigure.condition.OnThreadingCondition",
			"org.springframework.boot.autoconfigure.condition.OnCloudPlatformCondition",
			"org.springframework.boot.health.autoconfigure.contributor.OnEnabledHealthIndicatorCondition",
			"org.springframework.boot.actuate.autoconfigure.endpoint.condition.OnAvailableEndpointCondition",
			"dev.dbpool.datasource.DbPoolScalingAutoConfiguration$OnReplicaUrlCondition",
			"dev.dbpool.endpoint.ApplicationPortEndpointCondition");

	/** Conditions known not to read the environment. */
	static final Set<String> STATIC_CONDITIONS = Set.of(
			"org.springframework.boot.autoconfigure.condition.OnClassCondition",
			"org.springframework.boot.autoconfigure.condition.OnBeanCondition",
			"org.springframework.boot.autoconfigure.condition.OnWebApplicationCondition");

	/**
	 * Key under which the site's outcome is recorded, such as {@code Outer$Inner#bean}.
	 */
	String key() {
		return this.configurationClass.getName() + ((this.methodName != null) ? "#" + this.methodName : "");
	}

	/** Short name for messages, without the package. */
	String displayName() {
		return ClassUtils.getShortName(this.configurationClass).replace('$', '.')
				+ ((this.methodName != null) ? "#" + this.methodName + "()" : "");
	}

	/**
	 * Evaluate the site's environment conditions.
	 * @param context the context to evaluate them in
	 * @return whether all match, with their messages
	 */
	ConditionOutcome evaluate(ConditionContext context) {
		AnnotatedTypeMetadata metadata = metadata();
		List<String> messages = new ArrayList<>();
		boolean match = true;
		for (String conditionClass : this.conditions) {
			Condition condition = instantiate(conditionClass, context.getClassLoader());
			if (condition instanceof SpringBootCondition bootCondition) {
				ConditionOutcome outcome = bootCondition.getMatchOutcome(context, metadata);
				match &= outcome.isMatch();
				messages.add(outcome.getMessage());
			}
			else {
				boolean matches = condition.matches(context, metadata);
				match &= matches;
				messages.add(ClassUtils.getShortName(conditionClass) + (matches ? " matched" : " did not match"));
			}
		}
		return new ConditionOutcome(match, String.join("; ", messages));
	}

	private AnnotatedTypeMetadata metadata() {
		AnnotationMetadata type = AnnotationMetadata.introspect(this.configurationClass);
		if (this.methodName == null) {
			return type;
		}
		return type.getAnnotatedMethods(Bean.class.getName())
			.stream()
			.filter((method) -> method.getMethodName().equals(this.methodName))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No @Bean method " + key()));
	}

	private static Condition instantiate(String className, @Nullable ClassLoader classLoader) {
		Class<?> type = ClassUtils.resolveClassName(className, classLoader);
		return (Condition) BeanUtils.instantiateClass(type);
	}

	/**
	 * Every site of the starter's auto-configurations, nested configurations and
	 * {@code @Bean} methods included.
	 * @param classLoader the class loader to read the auto-configurations with
	 * @return the sites, outer ones before the ones nested in them
	 */
	static List<ConditionSite> all(@Nullable ClassLoader classLoader) {
		List<ConditionSite> sites = new ArrayList<>();
		for (String name : ImportCandidates.load(AutoConfiguration.class, classLoader)) {
			if (name.startsWith("dev.dbpool.")) {
				collect(ClassUtils.resolveClassName(name, classLoader), null, sites);
			}
		}
		return sites;
	}

	/**
	 * Every condition class used on the starter's configurations, for the test that each
	 * is classified.
	 * @param classLoader the class loader to read the auto-configurations with
	 * @return condition class names
	 */
	static Set<String> allConditionClasses(@Nullable ClassLoader classLoader) {
		Set<String> names = new LinkedHashSet<>();
		for (String name : ImportCandidates.load(AutoConfiguration.class, classLoader)) {
			if (name.startsWith("dev.dbpool.")) {
				collectConditions(ClassUtils.resolveClassName(name, classLoader), names);
			}
		}
		return names;
	}

	private static void collect(Class<?> type, @Nullable Class<?> enclosing, List<ConditionSite> sites) {
		AnnotationMetadata metadata = AnnotationMetadata.introspect(type);
		List<String> classConditions = environmentConditions(metadata);
		if (!classConditions.isEmpty()) {
			sites.add(new ConditionSite(type, null, enclosing, classConditions));
		}
		for (MethodMetadata method : metadata.getAnnotatedMethods(Bean.class.getName())) {
			List<String> methodConditions = environmentConditions(method);
			if (!methodConditions.isEmpty()) {
				sites.add(new ConditionSite(type, method.getMethodName(), type, methodConditions));
			}
		}
		for (Class<?> nested : type.getDeclaredClasses()) {
			if (AnnotationMetadata.introspect(nested).isAnnotated(Configuration.class.getName())) {
				collect(nested, type, sites);
			}
		}
	}

	private static void collectConditions(Class<?> type, Set<String> names) {
		AnnotationMetadata metadata = AnnotationMetadata.introspect(type);
		names.addAll(conditionClasses(metadata));
		metadata.getAnnotatedMethods(Bean.class.getName()).forEach((method) -> names.addAll(conditionClasses(method)));
		for (Class<?> nested : type.getDeclaredClasses()) {
			if (AnnotationMetadata.introspect(nested).isAnnotated(Configuration.class.getName())) {
				collectConditions(nested, names);
			}
		}
	}

	private static List<String> environmentConditions(AnnotatedTypeMetadata metadata) {
		return conditionClasses(metadata).stream().filter(ENVIRONMENT_CONDITIONS::contains).toList();
	}

	private static List<String> conditionClasses(AnnotatedTypeMetadata metadata) {
		return metadata.getAnnotations()
			.stream(Conditional.class)
			.map((annotation) -> annotation.asAnnotationAttributes(MergedAnnotation.Adapt.CLASS_TO_STRING))
			.flatMap((attributes) -> Arrays.stream(attributes.getStringArray("value")))
			.distinct()
			.toList();
	}

}
