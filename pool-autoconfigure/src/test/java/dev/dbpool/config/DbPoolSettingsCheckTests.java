package dev.dbpool.config;

import java.util.Map;

import javax.sql.DataSource;

import dev.dbpool.DbPoolAutoConfiguration;
import dev.dbpool.common.DbPoolFailureAnalyzer;
import dev.dbpool.common.InvalidDbPoolSettingException;
import dev.dbpool.common.SettingProblem;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Startup with a typo, a bare number or Boot's HikariCP keys fails once, before any bean
 * is created, listing every problem. No database is needed: nothing gets as far as
 * connecting.
 */
class DbPoolSettingsCheckTests {

	private static final String URL = "postgresql://app:s3cret-pw@localhost:1/app";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DbPoolAutoConfiguration.class))
		.withInitializer((context) -> new DbPoolEnvironmentPostProcessor()
			.postProcessEnvironment(context.getEnvironment(), new SpringApplication()));

	@Test
	void mistypedPropertyFailsWithTheClosestSetting() {
		this.contextRunner.withPropertyValues("db.pool.url=" + URL, "db.pool.conection-limit=3").run((context) -> {
			SettingProblem problem = singleProblem(context);
			assertThat(problem.property()).isEqualTo("db.pool.conection-limit");
			assertThat(problem.value()).isEqualTo("3");
			assertThat(problem.action()).startsWith("Did you mean db.pool.connection-limit?");
		});
	}

	@Test
	void mistypedEnvironmentVariableFailsWithTheClosestSetting() {
		environment(Map.of("DB_POOL_CONECTION_LIMIT", "3")).withPropertyValues("db.pool.url=" + URL).run((context) -> {
			SettingProblem problem = singleProblem(context);
			assertThat(problem.property()).isEqualTo("DB_POOL_CONECTION_LIMIT (environment variable)");
			assertThat(problem.action())
				.startsWith("Did you mean db.pool.connection-limit (DB_POOL_CONNECTION_LIMIT)?");
		});
	}

	@Test
	void relaxedEnvironmentVariablesAndSeedAliasesAreKnown() {
		environment(Map.of("DB_POOL_CONNECTION_LIMIT", "3", "DB_POOL_CONNECTIONLIMIT", "3", "DB_POOL_TIMEOUT", "5",
				"DB_POOL_RETRY_MAXATTEMPTS", "2", "DB_POOL_DATASOURCEPROPERTIES_SSLFACTORY", "x"))
			.withPropertyValues("db.pool.url=" + URL)
			.withBean(DataSource.class, SimpleDriverDataSource::new)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void mistypedKeyFailsEvenWhenTheApplicationBringsItsOwnDataSource() {
		this.contextRunner.withBean(DataSource.class, SimpleDriverDataSource::new)
			.withPropertyValues("db.pool.retry.max-atempts=5")
			.run((context) -> assertThat(singleProblem(context).action())
				.startsWith("Did you mean db.pool.retry.max-attempts?"));
	}

	@Test
	void bareNumberDurationFailsShowingBothReadings() {
		this.contextRunner.withPropertyValues("db.pool.url=" + URL, "db.pool.query-timeout=30").run((context) -> {
			SettingProblem problem = singleProblem(context);
			assertThat(problem.property()).isEqualTo("db.pool.query-timeout");
			assertThat(problem.expected()).contains("30ms").contains("30s");
			assertThat(problem.action()).contains("db.pool.query-timeout=30ms").contains("db.pool.query-timeout=30s");
		});
	}

	@Test
	void bareNumberInACapabilityDurationFailsToo() {
		this.contextRunner.withBean(DataSource.class, SimpleDriverDataSource::new)
			.withPropertyValues("db.pool.shutdown.drain-timeout=30")
			.run((context) -> assertThat(singleProblem(context).property())
				.isEqualTo("db.pool.shutdown.drain-timeout"));
	}

	@Test
	void seedAliasesKeepTheirUnits() {
		environment(Map.of("DB_POOL_TIMEOUT", "5", "DB_QUERY_TIMEOUT", "9000")).withPropertyValues("db.pool.url=" + URL)
			.withBean(DataSource.class, SimpleDriverDataSource::new)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				EnvironmentSettingValues values = new EnvironmentSettingValues(context.getEnvironment());
				assertThat(values.alias(PoolSettingTable.POOL_TIMEOUT).text()).isEqualTo("5s");
				assertThat(values.alias(PoolSettingTable.QUERY_TIMEOUT).text()).isEqualTo("9000ms");
			});
	}

	@Test
	void fourHikariKeysFailOnceEachWithItsTranslation() {
		this.contextRunner
			.withPropertyValues("db.pool.url=" + URL, "spring.datasource.hikari.connection-timeout=20000",
					"spring.datasource.hikari.maximum-pool-size=5", "spring.datasource.hikari.idle-timeout=600000",
					"spring.datasource.hikari.max-lifetime=1800000")
			.run((context) -> {
				InvalidDbPoolSettingException failure = failure(context);
				assertThat(failure.getProblems()).extracting(SettingProblem::action)
					.containsExactlyInAnyOrder("Use db.pool.pool-timeout=20s instead.",
							"Use db.pool.connection-limit=5 instead.", "Use db.pool.idle-timeout=600s instead.",
							"Use db.pool.max-lifetime=1800s instead.");
				FailureAnalysis analysis = new DbPoolFailureAnalyzer().analyze(failure);
				assertThat(analysis.getDescription()).startsWith("4 database pool settings are invalid")
					.contains("spring.datasource.hikari.connection-timeout", "20000");
			});
	}

	@Test
	void everyKindOfProblemIsListedInOneFailure() {
		environment(Map.of("DB_POOL_CONECTION_LIMIT", "3"))
			.withPropertyValues("db.pool.url=" + URL + "?connection_limit=0", "db.pool.pol-timeout=5s",
					"db.pool.query-timeout=30", "db.pool.retry.jitter=1.5", "spring.datasource.hikari.password=hunter2",
					"db.pool.min-idle=lots")
			.run((context) -> {
				InvalidDbPoolSettingException failure = failure(context);
				assertThat(failure.getProblems()).extracting(SettingProblem::property)
					.containsExactlyInAnyOrder("DB_POOL_CONECTION_LIMIT (environment variable)", "db.pool.pol-timeout",
							"db.pool.query-timeout", "db.pool.retry.jitter", "db.pool.min-idle",
							"spring.datasource.hikari.password", "db.pool.url parameter connection_limit");
				assertThat(failure.getMessage()).doesNotContain("hunter2").doesNotContain("s3cret-pw");
				FailureAnalysis analysis = new DbPoolFailureAnalyzer().analyze(failure);
				assertThat(analysis.getDescription()).doesNotContain("hunter2").doesNotContain("s3cret-pw");
				assertThat(analysis.getAction()).contains("db.pool.password=**** instead");
			});
	}

	@Test
	void additionalPoolKeysAreKnownAndTheirTyposAreNot() {
		environment(Map.of("DB_POOL_ADDITIONAL_REPORTS_CONNECTION_LIMIT", "3"))
			.withPropertyValues("db.pool.url=" + URL, "db.pool.additional.reports.url=" + URL,
					"db.pool.additional.reports.query-timeout=5s",
					"db.pool.additional.reports.data-source-properties.ssl=true",
					"db.pool.additional.reports.conection-limit=2")
			.withBean(DataSource.class, SimpleDriverDataSource::new)
			.run((context) -> {
				SettingProblem problem = singleProblem(context);
				assertThat(problem.property()).isEqualTo("db.pool.additional.reports.conection-limit");
				assertThat(problem.action()).startsWith("Did you mean db.pool.additional.reports.connection-limit?");
			});
	}

	@Test
	void mistypedAdditionalPoolVariableFails() {
		environment(Map.of("DB_POOL_ADDITIONAL_REPORTS_CONECTION_LIMIT", "3")).withPropertyValues("db.pool.url=" + URL)
			.withBean(DataSource.class, SimpleDriverDataSource::new)
			.run((context) -> assertThat(singleProblem(context).property())
				.isEqualTo("DB_POOL_ADDITIONAL_REPORTS_CONECTION_LIMIT (environment variable)"));
	}

	@Test
	void badValuesOfAnAdditionalPoolAreListedWithThePrimarysProblems() {
		this.contextRunner
			.withPropertyValues("db.pool.url=" + URL, "db.pool.query-timeout=30",
					"db.pool.additional.reports.url=" + URL, "db.pool.additional.reports.connection-limit=0",
					"db.pool.additional.reports.pool-timeout=10")
			.run((context) -> assertThat(failure(context).getProblems()).extracting(SettingProblem::property)
				.containsExactlyInAnyOrder("db.pool.query-timeout", "db.pool.additional.reports.connection-limit",
						"db.pool.additional.reports.pool-timeout"));
	}

	@Test
	void validConfigurationPasses() {
		this.contextRunner
			.withPropertyValues("db.pool.url=" + URL, "db.pool.connection-limit=4", "db.pool.query-timeout=500ms",
					"db.pool.observation.micrometer-observations=ALWAYS",
					"db.pool.retry.additional-sql-states[0]=40001", "db.pool.data-source-properties.ssl=true")
			.withBean(DataSource.class, SimpleDriverDataSource::new)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	private ApplicationContextRunner environment(Map<String, Object> variables) {
		return this.contextRunner.withInitializer((context) -> {
			context.getEnvironment()
				.getPropertySources()
				.addLast(new SystemEnvironmentPropertySource("testEnvironment", variables));
			// Map the seed aliases again, now that the variables are there.
			new DbPoolEnvironmentPostProcessor().postProcessEnvironment(context.getEnvironment(),
					new SpringApplication());
		});
	}

	private static InvalidDbPoolSettingException failure(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		assertThat(context.getStartupFailure()).isInstanceOf(InvalidDbPoolSettingException.class);
		return (InvalidDbPoolSettingException) context.getStartupFailure();
	}

	private static SettingProblem singleProblem(AssertableApplicationContext context) {
		InvalidDbPoolSettingException failure = failure(context);
		assertThat(failure.getProblems()).hasSize(1);
		return failure.getProblems().get(0);
	}

}
