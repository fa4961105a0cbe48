package dev.dbpool.observe;

import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.dbpool.config.DbPoolProperties;
import dev.dbpool.metrics.QueryMetrics;
import dev.dbpool.retry.RetryBackOff;
import dev.dbpool.retry.RetryBudget;
import dev.dbpool.retry.RetryMetrics;
import dev.dbpool.retry.RetryOnTransientFailure;
import dev.dbpool.retry.RetryOnTransientFailureAdvisor;
import dev.dbpool.retry.RetryOnTransientFailureBeanPostProcessor;
import dev.dbpool.retry.RetryOnTransientFailureInterceptor;
import dev.dbpool.retry.RetrySettings;
import dev.dbpool.retry.RetryStatistics;
import dev.dbpool.retry.TransientFailureClassifier;
import dev.dbpool.retry.TransientRetryRunner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;

/**
 * The starter's objects, built as its auto-configurations build them with the default
 * settings, around an in-memory JDBC stub: the DataSource bean (HikariCP with Boot's
 * Micrometer tracker, observation, the query timer, transaction tracking; what
 * {@code pool-benchmarks} calls (b0)) and an application bean behind the retry advisor
 * ((b)). For {@link ObservationOverheadBenchmark}'s stub mode.
 */
final class StarterStub {

	private StarterStub() {
	}

	/** A HikariCP pool of the starter's size over the stub, with the given meters. */
	static HikariDataSource hikari(DataSource stub, @Nullable MeterRegistry registry) {
		HikariConfig config = new HikariConfig();
		config.setDataSource(stub);
		config.setMaximumPoolSize(10);
		config.setMinimumIdle(10);
		config.setPoolName("stub");
		config.setRegisterMbeans(false);
		if (registry != null) {
			config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
		}
		return new HikariDataSource(config);
	}

	/**
	 * The registry the starter's meters go to in an application with the Prometheus
	 * endpoint.
	 */
	static PrometheusMeterRegistry registry() {
		return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
	}

	/** The starter's DataSource bean over the stub, with its default settings. */
	static DataSource dataSource(DataSource stub) {
		PrometheusMeterRegistry registry = registry();
		DbPoolProperties properties = new DbPoolProperties();
		DbPoolProperties.SlowQuery slowQuery = properties.getSlowQuery();
		DbPoolProperties.SlowQuery.Plan plan = slowQuery.getPlan();
		DbPoolProperties.Observation observation = properties.getObservation();
		ObservationOptions options = new ObservationOptions(slowQuery.isEnabled(), slowQuery.getThreshold(),
				slowQuery.getMaxSqlLength(), slowQuery.getHistorySize(), slowQuery.isLogParameters(),
				slowQuery.isRawSql(), observation.getMaxShapes(), observation.isTrackTransactions(),
				observation.getRepeatedThreshold(), observation.getRepeatedWarnInterval(), plan.isEnabled(),
				plan.getMaxPerMinute(), plan.getCacheTime(), plan.getTimeout());
		QueryEventListenerFactory metrics = (dataSourceName, poolName) -> new QueryMetrics(registry, poolName);
		ObservedDataSourceFactory factory = new ObservedDataSourceFactory(options, () -> List.of(metrics),
				Clock.systemUTC());
		return factory.wrap("dataSource", hikari(stub, registry));
	}

	/**
	 * The application bean behind the retry advisor, as the starter's post-processor
	 * proxies it, with the runner, budget and listeners of the default settings.
	 */
	static Queries queries(DataSource dataSource) {
		DbPoolProperties.Retry retry = new DbPoolProperties().getRetry();
		TransientFailureClassifier classifier = new TransientFailureClassifier(retry.isRetryStatementTimeout(),
				retry.getAdditionalSqlStates(), retry.getExcludedSqlStates());
		RetryBackOff backOff = new RetryBackOff(retry.getInitialDelay(), retry.getMaxDelay(),
				retry.getContentionInitialDelay(), retry.getContentionMaxDelay(), retry.getMultiplier(),
				retry.getJitter());
		DbPoolProperties.Retry.Budget budget = retry.getBudget();
		RetryMetrics retryMetrics = new RetryMetrics(classifier.retryableSqlStates());
		retryMetrics.bindTo(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
		// No commit-outcome resolver: it is asked only after a failed COMMIT.
		TransientRetryRunner runner = new TransientRetryRunner(classifier, backOff,
				new RetryBudget(budget.getRatio(), budget.getMinRetriesPerSecond(), budget.getWindow()), "stub",
				new RetrySettings(retry.getMaxAttempts(), false), retry.isEnabled(),
				List.of(new RetryStatistics(), retryMetrics));
		RetryOnTransientFailureBeanPostProcessor postProcessor = new RetryOnTransientFailureBeanPostProcessor(
				new RetryOnTransientFailureAdvisor(new RetryOnTransientFailureInterceptor(() -> runner), false));
		postProcessor.setBeanFactory(new DefaultListableBeanFactory());
		// The proxy class goes next to the bean's, also when this class was loaded by
		// StubBuildComparison's own class loader.
		postProcessor.setBeanClassLoader(Queries.class.getClassLoader());
		Object proxy = postProcessor.postProcessAfterInitialization(new Queries(dataSource), "queries");
		if (!(proxy instanceof Queries queries) || proxy.getClass() == Queries.class) {
			throw new IllegalStateException("The retry advisor did not proxy the bean: " + proxy);
		}
		return queries;
	}

	/** What {@code pool-benchmarks}' application bean does, on the stub. */
	@RetryOnTransientFailure
	public static class Queries {

		private final DataSource dataSource;

		public Queries(DataSource dataSource) {
			this.dataSource = dataSource;
		}

		public void select() throws SQLException {
			ObservationOverheadBenchmark.selectOne(this.dataSource);
		}

		public int compute(int value) {
			return value * 31 + 7;
		}

	}

}
