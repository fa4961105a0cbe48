package dev.dbpool.aot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

import dev.dbpool.DbPoolAutoConfiguration;
import dev.dbpool.datasource.DbPoolAdditionalPoolsAutoConfiguration;
import dev.dbpool.datasource.DbPoolScalingAutoConfiguration;
import dev.dbpool.endpoint.DbPoolEndpointAutoConfiguration;
import dev.dbpool.observe.DbPoolObservationAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GeneratedFiles.Kind;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.AnnotationConfigUtils;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.javapoet.ClassName;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.util.StreamUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AOT processing of the starter's configurations, as {@code process-aot} runs it: the
 * additional pools' bean definitions can be written out as code, the frozen switches are
 * recorded in the generated initialization, and the hints are contributed. (Starting the
 * result is what the consumer build in pool-starter-tests does.)
 */
class AotProcessingTests {

	@Test
	void additionalPoolsAndTheSwitchCheckAreWrittenOut() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("db.pool.url", "postgresql://app@localhost:5432/app")
			.withProperty("db.pool.additional.reports.url", "postgresql://app@localhost:5432/reports");
		GenericApplicationContext context = new GenericApplicationContext();
		context.setEnvironment(environment);
		AnnotationConfigUtils.registerAnnotationConfigProcessors(context);
		context.registerBean(Application.class);
		InMemoryGeneratedFiles files = new InMemoryGeneratedFiles();
		DefaultGenerationContext generation = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get("com.example", "App")), files);
		new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
		generation.writeGeneratedContent();
		Map<String, String> sources = files.getGeneratedFiles(Kind.SOURCE)
			.entrySet()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> {
				try {
					return StreamUtils.copyToString(entry.getValue().getInputStream(), StandardCharsets.UTF_8);
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			}));
		String all = String.join("\n", sources.values());
		assertThat(all).contains("\"reportsDataSource\"", "dbReportsHealthContributor",
				"FrozenSwitches.verify(environment", "\"db.pool.additional\", \"reports\"",
				"\"dev.dbpool.datasource.DbPoolScalingAutoConfiguration$ReplicaConfiguration\", \"false\"",
				"\"dev.dbpool.observe.DbPoolObservationAutoConfiguration$QueryObservationConfiguration\", \"true\"");
		// Not a web application: the application-port snapshot is absent whatever its
		// switch says, so the switch is not recorded.
		assertThat(all).doesNotContain("ApplicationPortConfiguration");
		// The registrar ran at build time; its result is in the code, not the registrar.
		assertThat(all).doesNotContain("dbPoolAdditionalPoolsRegistrar");
		assertThat(RuntimeHintsPredicates.reflection().onType(org.postgresql.Driver.class))
			.accepts(generation.getRuntimeHints());
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties
	@ImportAutoConfiguration({ DbPoolAutoConfiguration.class, DbPoolScalingAutoConfiguration.class,
			DbPoolAdditionalPoolsAutoConfiguration.class, DbPoolObservationAutoConfiguration.class,
			DbPoolEndpointAutoConfiguration.class })
	static class Application {

	}

}
