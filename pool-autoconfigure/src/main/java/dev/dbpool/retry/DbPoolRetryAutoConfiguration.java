package dev.dbpool.retry;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.dbpool.common.Durations;
import dev.dbpool.common.HikariPools;
import dev.dbpool.config.DbPoolProperties;
import dev.dbpool.config.DbPoolSettingsCheck;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.aop.Advisor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.util.function.SingletonSupplier;

/**
 * Retry of transient PostgreSQL failures ({@code db.pool.retry.*}): the
 * {@link RetryOnTransientFailure} advisor, {@link TransactionRetry},
 * {@link RetryingTransactionTemplate}, commit tracking on the transaction managers,
 * statistics and metrics. Needs spring-tx and spring-aop.
 */
@AutoConfiguration(afterName = { "dev.dbpool.DbPoolAutoConfiguration",
		"org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration",
		"org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration" })
@ConditionalOnClass({ PlatformTransactionManager.class, Advisor.class })
@EnableConfigurationProperties(DbPoolProperties.class)
public final class DbPoolRetryAutoConfiguration {

	@Bean(DbPoolSettingsCheck.BEAN_NAME)
	@ConditionalOnMissingBean(name = DbPoolSettingsCheck.BEAN_NAME)
	static DbPoolSettingsCheck dbPoolSettingsCheck() {
		return new DbPoolSettingsCheck(null);
	}

	@Bean
	@ConditionalOnMissingBean
	TransientFailureClassifier transientFailureClassifier(DbPoolProperties properties) {
		DbPoolProperties.Retry retry = properties.getRetry();
		return new TransientFailureClassifier(retry.isRetryStatementTimeout(), retry.getAdditionalSqlStates(),
				retry.getExcludedSqlStates());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "db.pool.retry.budget.enabled", matchIfMissing = true)
	RetryBudget retryBudget(DbPoolProperties properties) {
		DbPoolProperties.Retry retry = properties.getRetry();
		DbPoolProperties.Retry.Budget budget = retry.getBudget();
		return new RetryBudget(budget.getRatio(), budget.getMinRetriesPerSecond(), budget.getWindow());
	}

	@Bean
	@ConditionalOnMissingBean
	RetryStatistics retryStatistics() {
		return new RetryStatistics();
	}

	@Bean
	@ConditionalOnMissingBean
	TransientRetryRunner transientRetryRunner(DbPoolProperties properties, TransientFailureClassifier classifier,
			ObjectProvider<RetryBudget> budget, ObjectProvider<TransientRetryListener> listeners,
			ObjectProvider<DataSource> dataSource) {
		DbPoolProperties.Retry retry = properties.getRetry();
		RetryBackOff backOff = new RetryBackOff(retry.getInitialDelay(), retry.getMaxDelay(),
				retry.getContentionInitialDelay(), retry.getContentionMaxDelay(), retry.getMultiplier(),
				retry.getJitter());
		DbPoolProperties.Retry.Budget budgetProperties = retry.getBudget();
		String budgetDescription = "db.pool.retry.budget.ratio=" + budgetProperties.getRatio()
				+ ", db.pool.retry.budget.min-retries-per-second=" + budgetProperties.getMinRetriesPerSecond()
				+ ", db.pool.retry.budget.window=" + Durations.format(budgetProperties.getWindow());
		return new TransientRetryRunner(classifier, backOff, budget.getIfAvailable(), budgetDescription,
				new RetrySettings(retry.getMaxAttempts(), false), retry.isEnabled(), listeners.orderedStream().toList(),
				retry.isResolveCommitOutcome() ? commitOutcomeResolver(dataSource, retry) : null);
	}

	private static CommitOutcomeResolver commitOutcomeResolver(ObjectProvider<DataSource> dataSources,
			DbPoolProperties.Retry retry) {
		// Asked for as long as two retry delays: the window in which a retry would run.
		java.time.Duration window = retry.getMaxDelay().multipliedBy(2);
		return new CommitOutcomeResolver(FreshConnections.of(dataSources::getIfUnique), window);
	}

	@Bean
	@ConditionalOnMissingBean
	TransactionRetry transactionRetry(TransientRetryRunner runner) {
		return new TransactionRetry(runner);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnSingleCandidate(PlatformTransactionManager.class)
	RetryingTransactionTemplate retryingTransactionTemplate(TransientRetryRunner runner,
			PlatformTransactionManager transactionManager) {
		return new RetryingTransactionTemplate(runner, transactionManager);
	}

	@Bean
	@ConditionalOnMissingBean
	RetrySnapshotContributor retrySnapshotContributor(RetryStatistics statistics, ObjectProvider<RetryBudget> budget,
			DbPoolProperties properties) {
		return new RetrySnapshotContributor(statistics, budget.getIfAvailable(), properties.getRetry().isEnabled());
	}

	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static TransactionManagerCommitTrackingPostProcessor transactionManagerCommitTrackingPostProcessor() {
		return new TransactionManagerCommitTrackingPostProcessor();
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "db.pool.retry.enabled", matchIfMissing = true)
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static RetryOnTransientFailureBeanPostProcessor retryOnTransientFailureBeanPostProcessor(Environment environment,
			ObjectProvider<TransientRetryRunner> runner) {
		// Bound here rather than injected: a post-processor must not pull the
		// properties bean (and with it half the context) in early.
		boolean transactional = Binder.get(environment)
			.bind("db.pool.retry.transactional", Boolean.class)
			.orElse(false);
		RetryOnTransientFailureInterceptor interceptor = new RetryOnTransientFailureInterceptor(
				SingletonSupplier.of(runner::getObject));
		return new RetryOnTransientFailureBeanPostProcessor(
				new RetryOnTransientFailureAdvisor(interceptor, transactional));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HikariDataSource.class)
	static class StaleConnectionEvictionConfiguration {

		@Bean
		@ConditionalOnMissingBean
		StaleConnectionEviction staleConnectionEviction(ObjectProvider<DataSource> dataSources) {
			Supplier<List<HikariPoolMXBean>> pools = () -> dataSources.orderedStream()
				.map(HikariPools::find)
				.filter(Objects::nonNull)
				.map(HikariDataSource::getHikariPoolMXBean)
				.filter(Objects::nonNull)
				.toList();
			return new StaleConnectionEviction(pools, Duration.ofSeconds(1));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class RetryMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RetryMetrics retryMetrics(TransientFailureClassifier classifier) {
			return new RetryMetrics(classifier.retryableSqlStates());
		}

	}

}
