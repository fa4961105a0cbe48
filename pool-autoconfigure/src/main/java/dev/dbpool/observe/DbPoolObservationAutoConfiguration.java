package dev.dbpool.observe;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.common.HikariPools;
import dev.dbpool.config.DbPoolProperties;
import dev.dbpool.config.DbPoolSettings;
import dev.dbpool.config.EnvironmentSettingValues;
import dev.dbpool.config.PoolSettingTable;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Query observation (slow-query log and plans, statistics, shapes, transactions and
 * repeated statements, and Micrometer Observations when they make spans) around the
 * HikariCP pool, and pool pressure warnings.
 */
@AutoConfiguration(afterName = "dev.dbpool.DbPoolAutoConfiguration")
@ConditionalOnClass(HikariDataSource.class)
public final class DbPoolObservationAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "db.pool.observation.enabled", matchIfMissing = true)
	static class QueryObservationConfiguration {

		@Bean
		static DataSourceObservationPostProcessor dataSourceObservationPostProcessor(
				ObjectProvider<ObservedDataSourceFactory> factory) {
			return new DataSourceObservationPostProcessor(factory);
		}

		@Bean
		@ConditionalOnMissingBean
		ObservedDataSourceFactory observedDataSourceFactory(DbPoolProperties properties,
				ObjectProvider<DbPoolSettings> settings, ObjectProvider<QueryEventListenerFactory> listenerFactories,
				ConfigurableEnvironment environment, ObjectProvider<QueryTracing> tracing) {
			DbPoolProperties.SlowQuery slowQuery = properties.getSlowQuery();
			DbPoolProperties.SlowQuery.Plan plan = slowQuery.getPlan();
			DbPoolProperties.Observation observation = properties.getObservation();
			ObservationOptions options = new ObservationOptions(slowQuery.isEnabled(),
					slowQueryThreshold(slowQuery, settings.getIfAvailable(), environment), slowQuery.getMaxSqlLength(),
					slowQuery.getHistorySize(), slowQuery.isLogParameters(), slowQuery.isRawSql(),
					properties.getObservation().getMaxShapes(), observation.isTrackTransactions(),
					observation.getRepeatedThreshold(), observation.getRepeatedWarnInterval(), plan.isEnabled(),
					plan.getMaxPerMinute(), plan.getCacheTime(), plan.getTimeout());
			return new ObservedDataSourceFactory(options, () -> listenerFactories.orderedStream().toList(),
					Clock.systemUTC(), tracing.getIfAvailable());
		}

		@Bean
		@Order(-300)
		QuerySnapshotContributor dbPoolQueriesSnapshotContributor(ObjectProvider<DataSource> dataSources) {
			return QuerySnapshotContributor.queries(() -> observer(dataSources));
		}

		@Bean
		@Order(-200)
		QuerySnapshotContributor dbPoolSlowQueriesSnapshotContributor(ObjectProvider<DataSource> dataSources) {
			return QuerySnapshotContributor.slowQueries(() -> observer(dataSources));
		}

		@Bean
		@Order(-100)
		QuerySnapshotContributor dbPoolTopQueriesSnapshotContributor(ObjectProvider<DataSource> dataSources,
				DbPoolProperties properties) {
			return QuerySnapshotContributor.topQueries(() -> observer(dataSources),
					properties.getObservation().getTopQueries());
		}

		@Bean
		@Order(-90)
		QuerySnapshotContributor dbPoolRepeatedStatementsSnapshotContributor(ObjectProvider<DataSource> dataSources) {
			return QuerySnapshotContributor.repeatedStatements(() -> observer(dataSources));
		}

		@Bean
		@Order(-80)
		QuerySnapshotContributor dbPoolTransactionsSnapshotContributor(ObjectProvider<DataSource> dataSources) {
			return QuerySnapshotContributor.transactions(() -> observer(dataSources));
		}

		private static @Nullable QueryObserver observer(ObjectProvider<DataSource> dataSources) {
			DataSource dataSource = dataSources.getIfUnique();
			try {
				if (dataSource != null && dataSource.isWrapperFor(ObservedDataSource.class)) {
					return dataSource.unwrap(ObservedDataSource.class).getObserver();
				}
			}
			catch (SQLException ex) {
				// Not observed after all.
			}
			return null;
		}

		/**
		 * An explicit {@code db.pool.slow-query.threshold}, else the effective settings'
		 * value, else the bound one (a seed alias or the default).
		 */
		private static Duration slowQueryThreshold(DbPoolProperties.SlowQuery slowQuery,
				@Nullable DbPoolSettings settings, ConfigurableEnvironment environment) {
			boolean explicit = new EnvironmentSettingValues(environment)
				.property(PoolSettingTable.SLOW_QUERY_THRESHOLD) != null;
			return (settings != null && !explicit) ? settings.slowQueryThreshold() : slowQuery.getThreshold();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ObservationRegistry.class)
	@ConditionalOnBooleanProperty(name = "db.pool.observation.enabled", matchIfMissing = true)
	static class TracingConfiguration {

		@Bean
		ObservationQueryTracing dbPoolQueryTracing(DbPoolProperties properties,
				ConfigurableListableBeanFactory beanFactory, ObjectProvider<ObservationRegistry> registry,
				ObjectProvider<QueryObservationConvention> queryConvention,
				ObjectProvider<ConnectionObservationConvention> connectionConvention) {
			ObservationDemand.Mode mode = ObservationDemand.Mode
				.valueOf(properties.getObservation().getMicrometerObservations().name());
			return new ObservationQueryTracing(registry, () -> ObservationDemand.wanted(mode, beanFactory),
					queryConvention, connectionConvention);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "db.pool.observation.enabled", matchIfMissing = true)
	@ConditionalOnBooleanProperty(name = "db.pool.observation.track-transactions", matchIfMissing = true)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass(DispatcherServlet.class)
	static class RequestActivityConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RequestActivityFilter dbPoolRequestActivityFilter() {
			return new RequestActivityFilter();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PoolPressureConfiguration {

		@Bean(initMethod = "start", destroyMethod = "close")
		@ConditionalOnMissingBean
		PoolPressureWatcher poolPressureWatcher(DbPoolProperties properties, ObjectProvider<DataSource> dataSources) {
			DbPoolProperties.Alerts alerts = properties.getAlerts();
			return new PoolPressureWatcher(() -> {
				DataSource dataSource = dataSources.getIfUnique();
				return (dataSource != null) ? HikariPools.find(dataSource) : null;
			}, new PoolPressureMonitor(alerts.getUtilizationThreshold()), alerts.getCheckInterval());
		}

	}

}
