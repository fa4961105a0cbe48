package dev.dbpool.aot;

import java.util.Map;

import javax.lang.model.element.Modifier;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.generate.GeneratedMethod;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.javapoet.CodeBlock;

/**
 * Records, during AOT processing, how the switches of {@link FrozenSwitches} were
 * decided, and adds a call to {@link FrozenSwitches#verify} to the generated
 * initialization, so that an application started in AOT mode with settings that
 * contradict the build fails at once instead of silently keeping the build-time beans.
 */
class FrozenSwitchesAotProcessor implements BeanFactoryInitializationAotProcessor {

	@Override
	public @Nullable BeanFactoryInitializationAotContribution processAheadOfTime(
			ConfigurableListableBeanFactory beanFactory) {
		if (!beanFactory.containsBean(ConfigurableApplicationContext.ENVIRONMENT_BEAN_NAME)) {
			return null;
		}
		Environment environment = beanFactory.getBean(ConfigurableApplicationContext.ENVIRONMENT_BEAN_NAME,
				Environment.class);
		Map<String, String> state = FrozenSwitches.record(beanFactory, environment);
		CodeBlock.Builder arguments = CodeBlock.builder();
		state.forEach((key, value) -> arguments.add(", $S, $S", key, value));
		CodeBlock recorded = arguments.build();
		return (generationContext, code) -> {
			GeneratedMethod method = code.getMethods()
				.add("verifyDbPoolSwitches",
						(builder) -> builder
							.addJavadoc("Fail when the run-time settings change what AOT processing decided.")
							.addModifiers(Modifier.PUBLIC, Modifier.STATIC)
							.addParameter(ConfigurableEnvironment.class, "environment")
							.addStatement("$T.verify(environment$L)", FrozenSwitches.class, recorded));
			code.addInitializer(method.toMethodReference());
		};
	}

}
