package dev.dbpool;

import java.util.List;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package graph: no cycles between the capability packages (the root package
 * included), the shared vocabulary in {@code common} at the bottom, no Spring in
 * {@code url/} nor in the core classes of {@code observe/} and {@code retry/}, and the
 * properties class read by the wiring only.
 */
class ArchitectureTests {

	/** The Spring wiring of observe/; every other class there is core. */
	private static final List<String> OBSERVE_WIRING = List.of("DbPoolObservationAutoConfiguration",
			"DataSourceObservationPostProcessor", "ObservationDemand", "ObservationQueryTracing",
			"RequestActivityFilter");

	/**
	 * The Spring integration of retry/ (auto-configuration, AOP, transaction templates,
	 * Spring's retry engine, DataAccessException subclasses); every other class there is
	 * core.
	 */
	private static final List<String> RETRY_WIRING = List.of("DbPoolRetryAutoConfiguration",
			"RetryOnTransientFailureAdvisor", "RetryOnTransientFailureBeanPostProcessor",
			"RetryOnTransientFailureInterceptor", "TransactionManagerCommitTrackingPostProcessor",
			"CommitTrackingTransactionListener", "TransientRetryRunner", "TransactionRetry",
			"RetryingTransactionTemplate", "AttemptContext", "CommitOutcomeUnknownException",
			"RetryBudgetExhaustedException");

	private static JavaClasses classes;

	@BeforeAll
	static void importMainClasses() {
		classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.withImportOption((location) -> location.contains("pool-autoconfigure"))
			.importPackages("dev.dbpool");
	}

	@Test
	void packagesHaveNoCycles() {
		slices().assignedFrom(new CapabilityPackages()).should().beFreeOfCycles().check(classes);
	}

	@Test
	void commonDependsOnNoOtherPackageOfTheStarter() {
		noClasses().that()
			.resideInAPackage("dev.dbpool.common..")
			.should()
			.dependOnClassesThat(starterClassOutside("dev.dbpool.common"))
			.check(classes);
	}

	@Test
	void endpointKnowsNoCapability() {
		noClasses().that()
			.resideInAPackage("dev.dbpool.endpoint..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.dbpool.datasource..", "dev.dbpool.observe..", "dev.dbpool.retry..",
					"dev.dbpool.health..", "dev.dbpool.metrics..")
			.check(classes);
	}

	@Test
	void urlHasNoSpring() {
		noSpring(noClasses().that().resideInAPackage("dev.dbpool.url..")).check(classes);
	}

	@Test
	void observeCoreHasNoSpring() {
		noSpring(noClasses().that().resideInAPackage("dev.dbpool.observe..").and(notWiring(OBSERVE_WIRING)))
			.check(classes);
	}

	@Test
	void retryCoreHasNoSpring() {
		noSpring(noClasses().that().resideInAPackage("dev.dbpool.retry..").and(notWiring(RETRY_WIRING))).check(classes);
	}

	@Test
	void onlyTheWiringReadsTheProperties() {
		DescribedPredicate<JavaClass> wiring = DescribedPredicate.describe(
				"auto-configurations, loaders and runtime hints",
				(type) -> outermost(type).getSimpleName().contains("AutoConfiguration")
						|| outermost(type).getSimpleName().endsWith("Loader")
						|| outermost(type).getSimpleName().endsWith("RuntimeHints"));
		noClasses().that()
			.resideOutsideOfPackage("dev.dbpool.config..")
			.and(DescribedPredicate.not(wiring))
			.should()
			.dependOnClassesThat()
			.belongToAnyOf(dev.dbpool.config.DbPoolProperties.class)
			.check(classes);
	}

	private static ArchRule noSpring(com.tngtech.archunit.lang.syntax.elements.GivenClassesConjunction classes) {
		return classes.should()
			.dependOnClassesThat()
			.resideInAPackage("org.springframework..")
			.orShould()
			.dependOnClassesThat()
			.belongToAnyOf(dev.dbpool.config.DbPoolProperties.class);
	}

	private static DescribedPredicate<JavaClass> notWiring(List<String> wiring) {
		return DescribedPredicate.describe("not the Spring wiring " + wiring,
				(type) -> !wiring.contains(outermost(type).getSimpleName()));
	}

	private static JavaClass outermost(JavaClass type) {
		JavaClass current = type;
		while (current.getEnclosingClass().isPresent()) {
			current = current.getEnclosingClass().get();
		}
		return current;
	}

	private static DescribedPredicate<JavaClass> starterClassOutside(String packageName) {
		return DescribedPredicate.describe("classes of the starter outside " + packageName,
				(type) -> type.getPackageName().startsWith("dev.dbpool")
						&& !type.getPackageName().startsWith(packageName));
	}

	/** One slice per package under dev.dbpool, the root package being one too. */
	private static final class CapabilityPackages implements SliceAssignment {

		@Override
		public SliceIdentifier getIdentifierOf(JavaClass type) {
			String name = type.getPackageName();
			if (!name.startsWith("dev.dbpool")) {
				return SliceIdentifier.ignore();
			}
			String rest = name.equals("dev.dbpool") ? "(root)" : name.substring("dev.dbpool.".length());
			int dot = rest.indexOf('.');
			return SliceIdentifier.of((dot < 0) ? rest : rest.substring(0, dot));
		}

		@Override
		public String getDescription() {
			return "packages of dev.dbpool";
		}

	}

}
