package dev.dbpool.aot;

import java.util.List;

import dev.dbpool.config.DbPoolProperties;
import dev.dbpool.endpoint.DbPoolEndpointAutoConfiguration;
import dev.dbpool.retry.RetryOnTransientFailure;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

class DbPoolRuntimeHintsTests {

	private final RuntimeHints hints = registered();

	private static RuntimeHints registered() {
		RuntimeHints hints = new RuntimeHints();
		// Through aot.factories, as AOT processing finds it.
		SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class)
			.forEach((registrar) -> registrar.registerHints(hints, ClassUtils.getDefaultClassLoader()));
		return hints;
	}

	@Test
	void driverLoadedByNameCanBeInstantiated() {
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(org.postgresql.Driver.class)
			.withMemberCategory(MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS)).accepts(this.hints);
	}

	@Test
	void pgjdbcPropertyNamesCanBeRead() throws Exception {
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(org.postgresql.PGProperty.class.getMethod("getName"))).accepts(this.hints);
	}

	@Test
	void propertiesBoundByHandCanBeBound() throws Exception {
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(DbPoolProperties.Observation.class.getMethod("setTrackTransactions", boolean.class)))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(DbPoolProperties.Replica.class.getMethod("setUrl", String.class))).accepts(this.hints);
	}

	@Test
	void transactionScopedStatementsCanBeProxied() {
		for (Class<?> scoped : List.of(java.sql.Statement.class, java.sql.PreparedStatement.class,
				java.sql.CallableStatement.class, java.sql.ResultSet.class, java.sql.DatabaseMetaData.class)) {
			assertThat(RuntimeHintsPredicates.proxies().forInterfaces(scoped)).accepts(this.hints);
		}
	}

	@Test
	void retryAnnotationAttributesCanBeRead() throws Exception {
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(RetryOnTransientFailure.class.getDeclaredMethods()[0])).accepts(this.hints);
	}

	@Test
	void switchesCheckedAtStartupCanBeEvaluated() {
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(ClassUtils.resolveClassName("org.springframework.boot.autoconfigure.condition.OnPropertyCondition",
					null))
			.withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS)).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(ClassUtils.resolveClassName(
					DbPoolEndpointAutoConfiguration.class.getName() + "$ApplicationPortConfiguration", null))
			.withMemberCategory(MemberCategory.INTROSPECT_DECLARED_METHODS)).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.resource()
			.forResource("META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports"))
			.accepts(this.hints);
	}

}
