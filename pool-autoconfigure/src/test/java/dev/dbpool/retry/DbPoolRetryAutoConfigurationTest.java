package dev.dbpool.retry;

import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.dbpool.common.DbPoolFailureAnalyzer;
import dev.dbpool.common.InvalidDbPoolSettingException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import org.springframework.aop.Advisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class DbPoolRetryAutoConfigurationTest {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(TransactionAutoConfiguration.class, DbPoolRetryAutoConfiguration.class))
		.withUserConfiguration(TransactionManagerConfiguration.class)
		.withPropertyValues("db.pool.retry.contention-initial-delay=0ms", "db.pool.retry.initial-delay=0ms");

	@Test
	void retriesAnnotatedMethodsAndProvidesTheProgrammaticTwins() {
		this.contextRunner.withUserConfiguration(RetriedServiceConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(TransientFailureClassifier.class)
				.hasSingleBean(TransientRetryRunner.class)
				.hasSingleBean(TransactionRetry.class)
				.hasSingleBean(RetryingTransactionTemplate.class)
				.hasSingleBean(RetryOnTransientFailureBeanPostProcessor.class)
				.hasSingleBean(TransactionManagerCommitTrackingPostProcessor.class)
				.hasSingleBean(RetryBudget.class)
				.hasSingleBean(RetryMetrics.class);
			assertThat(context.getBean(RetrySnapshotContributor.class).section()).isEqualTo("retry");
			RetriedService service = context.getBean(RetriedService.class);
			assertThat(AopUtils.isAopProxy(service)).isTrue();
			assertThat(service.failTwiceThenSucceed()).isEqualTo("ok");
			assertThat(service.calls()).isEqualTo(3);
			assertThat(context.getBean(RetryStatistics.class).retries()).isEqualTo(2);
		});
	}

	@Test
	void transactionManagersReportTheirCommitsToTheRetryLayer() {
		this.contextRunner.run((
				context) -> assertThat(context.getBean(JdbcTransactionManager.class).getTransactionExecutionListeners())
					.containsExactly(CommitTrackingTransactionListener.INSTANCE));
	}

	@Test
	void transactionalMethodsAreLeftAloneByDefault() {
		this.contextRunner.withUserConfiguration(TransactionalServiceConfiguration.class).run((context) -> {
			TransactionalService service = context.getBean(TransactionalService.class);
			assertThat(catchThrowable(service::failTwiceThenSucceed)).isInstanceOf(SQLException.class);
			assertThat(service.calls()).isEqualTo(1);
		});
	}

	@Test
	void transactionalMethodsAreRetriedWhenOptedIn() {
		this.contextRunner.withUserConfiguration(TransactionalServiceConfiguration.class)
			.withPropertyValues("db.pool.retry.transactional=true")
			.run((context) -> {
				TransactionalService service = context.getBean(TransactionalService.class);
				assertThat(service.failTwiceThenSucceed()).isEqualTo("ok");
				assertThat(service.calls()).isEqualTo(3);
			});
	}

	@Test
	void switchedOffRetriesNothingButKeepsTheProgrammaticBeans() {
		this.contextRunner.withUserConfiguration(RetriedServiceConfiguration.class)
			.withPropertyValues("db.pool.retry.enabled=false")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(RetryOnTransientFailureBeanPostProcessor.class)
					.hasSingleBean(TransactionRetry.class);
				RetriedService service = context.getBean(RetriedService.class);
				assertThat(AopUtils.isAopProxy(service)).isFalse();
				assertThat(catchThrowable(service::failTwiceThenSucceed)).isInstanceOf(SQLException.class);
				AtomicInteger calls = new AtomicInteger();
				assertThat(catchThrowable(() -> context.getBean(TransactionRetry.class).call(() -> {
					calls.incrementAndGet();
					throw new SQLException("serialization", "40001");
				}))).isInstanceOf(SQLException.class);
				assertThat(calls).hasValue(1);
				assertThat(context.getBean(RetrySnapshotContributor.class).snapshot())
					.asInstanceOf(InstanceOfAssertFactories.MAP)
					.containsEntry("enabled", false);
			});
	}

	@Test
	void budgetCanBeSwitchedOff() {
		this.contextRunner.withPropertyValues("db.pool.retry.budget.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RetryBudget.class)
				.hasSingleBean(TransientRetryRunner.class));
	}

	@Test
	void backsOffToTheApplicationsOwnBeans() {
		this.contextRunner.withUserConfiguration(CustomBeansConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(TransientFailureClassifier.class).hasSingleBean(TransactionRetry.class);
			assertThat(context.getBean(TransientFailureClassifier.class))
				.isSameAs(context.getBean(CustomBeansConfiguration.class).classifier);
			assertThat(context.getBean(TransactionRetry.class).settings().maxAttempts()).isEqualTo(7);
		});
	}

	@Test
	void configuredSqlStatesReachTheClassifier() {
		this.contextRunner
			.withPropertyValues("db.pool.retry.additional-sql-states=55P03", "db.pool.retry.excluded-sql-states=40P01",
					"db.pool.retry.retry-statement-timeout=true")
			.run((context) -> {
				TransientFailureClassifier classifier = context.getBean(TransientFailureClassifier.class);
				assertThat(classifier.classifySqlState("55P03")).isEqualTo(RetryClassification.RETRY_TRANSACTION);
				assertThat(classifier.classifySqlState("57014")).isEqualTo(RetryClassification.RETRY_TRANSACTION);
				assertThat(classifier.classifySqlState("40P01")).isEqualTo(RetryClassification.NEVER);
			});
	}

	@Test
	void retryCountersExistAtZeroForEveryConfiguredSqlStateOnceBound() {
		this.contextRunner
			.withPropertyValues("db.pool.retry.additional-sql-states=55P03", "db.pool.retry.excluded-sql-states=40P01")
			.run((context) -> {
				MeterRegistry registry = new SimpleMeterRegistry();
				context.getBean(RetryMetrics.class).bindTo(registry);
				for (String meter : new String[] { RetryMetrics.ATTEMPTS, RetryMetrics.SUCCESSES,
						RetryMetrics.EXHAUSTED, RetryMetrics.BUDGET_REJECTIONS, RetryMetrics.COMMIT_OUTCOME_UNKNOWN }) {
					assertThat(registry.find(meter).counters())
						.extracting((counter) -> counter.getId().getTag("sqlstate"))
						.as(meter)
						.contains("55P03", "40001", "08006", RetryStatistics.NO_SQL_STATE)
						.doesNotContain("40P01");
					assertThat(registry.find(meter).counters())
						.allSatisfy((counter) -> assertThat(counter.count()).isZero());
				}
				assertThat(registry.find(RetryMetrics.COMMIT_OUTCOME_RESOLVED).counters())
					.extracting((counter) -> counter.getId().getTag(RetryMetrics.OUTCOME_TAG))
					.containsExactlyInAnyOrder("committed", "aborted", "unknown", "wrote-nothing");
				assertThat(registry.find(RetryMetrics.COMMIT_OUTCOME_RESOLVED).counters())
					.allSatisfy((counter) -> assertThat(counter.count()).isZero());
			});
	}

	@Test
	void invalidSettingFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("db.pool.retry.jitter=1.5").run((context) -> {
			assertThat(context).hasFailed();
			// Thrown by the settings check, before any bean is created.
			assertThat(context.getStartupFailure()).isInstanceOf(InvalidDbPoolSettingException.class)
				.hasMessageContaining("db.pool.retry.jitter")
				.hasMessageContaining("1.5");
		});
	}

	@Test
	void malformedSqlStateFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("db.pool.retry.additional-sql-states=4001").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).isInstanceOf(InvalidDbPoolSettingException.class)
				.hasMessageContaining("db.pool.retry.additional-sql-states")
				.hasMessageContaining("4001");
		});
	}

	@Test
	void failureAnalysisSaysWhatToChange() {
		this.contextRunner.withPropertyValues("db.pool.retry.max-attempts=0").run((context) -> {
			var analysis = new DbPoolFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("db.pool.retry.max-attempts", "Value:    0");
			assertThat(analysis.getAction()).contains("Change db.pool.retry.max-attempts to at least 1");
		});
	}

	@Test
	void metricsCountRetriesBySqlState() {
		this.contextRunner.withUserConfiguration(RetriedServiceConfiguration.class).run((context) -> {
			MeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(RetryMetrics.class).bindTo(registry);
			context.getBean(RetriedService.class).failTwiceThenSucceed();
			assertThat(registry.get(RetryMetrics.ATTEMPTS).tag(RetryMetrics.SQL_STATE_TAG, "40001").counter().count())
				.isEqualTo(2);
			assertThat(registry.get(RetryMetrics.SUCCESSES).tag(RetryMetrics.SQL_STATE_TAG, "40001").counter().count())
				.isEqualTo(1);
			assertThat(context.getBean(RetrySnapshotContributor.class).snapshot())
				.asInstanceOf(InstanceOfAssertFactories.MAP)
				.containsEntry("retries", 2L)
				.containsEntry("retriesBySqlState", Map.of("40001", 2L));
		});
	}

	@Test
	void withoutMicrometerThereAreNoMetersButStillStatistics() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).doesNotHaveBean(RetryMetrics.class)
				.hasSingleBean(RetryStatistics.class));
	}

	@Test
	void withoutSpringTransactionsNothingIsConfigured() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DbPoolRetryAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(PlatformTransactionManager.class))
			.run((context) -> assertThat(context).doesNotHaveBean(TransientRetryRunner.class)
				.doesNotHaveBean(RetryOnTransientFailureBeanPostProcessor.class));
	}

	@Test
	void withoutSpringAopNothingIsConfigured() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DbPoolRetryAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(Advisor.class))
			.run((context) -> assertThat(context).doesNotHaveBean(TransientRetryRunner.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class TransactionManagerConfiguration {

		@Bean
		JdbcTransactionManager transactionManager() {
			// Never connects: these tests only exercise the wiring.
			return new JdbcTransactionManager(new DriverManagerDataSource("jdbc:postgresql://localhost:1/none"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RetriedServiceConfiguration {

		@Bean
		RetriedService retriedService() {
			return new RetriedService();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TransactionalServiceConfiguration {

		@Bean
		TransactionalService transactionalService() {
			return new TransactionalService();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomBeansConfiguration {

		final TransientFailureClassifier classifier = new TransientFailureClassifier();

		@Bean
		TransientFailureClassifier customClassifier() {
			return this.classifier;
		}

		@Bean
		TransactionRetry customTransactionRetry(TransientRetryRunner runner) {
			return new TransactionRetry(runner).withMaxAttempts(7);
		}

	}

	static class RetriedService {

		private final AtomicInteger calls = new AtomicInteger();

		// Read through a method: fields of a class-based proxy are not the target's.
		public int calls() {
			return this.calls.get();
		}

		@RetryOnTransientFailure
		public String failTwiceThenSucceed() throws SQLException {
			if (this.calls.incrementAndGet() < 3) {
				throw new SQLException("could not serialize access", "40001");
			}
			return "ok";
		}

	}

	static class TransactionalService {

		private final AtomicInteger calls = new AtomicInteger();

		// Read through a method: fields of a class-based proxy are not the target's.
		public int calls() {
			return this.calls.get();
		}

		@Transactional(propagation = Propagation.SUPPORTS)
		public String failTwiceThenSucceed() throws SQLException {
			if (this.calls.incrementAndGet() < 3) {
				throw new SQLException("could not serialize access", "40001");
			}
			return "ok";
		}

	}

}
