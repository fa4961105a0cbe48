package dev.dbpool.observe;

import java.time.Clock;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.DbPoolAutoConfiguration;
import dev.dbpool.DbPoolProperties;
import dev.dbpool.DbPoolProperties.MicrometerObservations;
import dev.dbpool.datasource.DbPoolSettings;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Query observation (slow-query log and plans, statistics, shapes, transactions and
 * repeated statements, and Micrometer Observations when they make spans) around the
 * HikariCP pool, and pool pressure warnings.
 */
@AutoConfiguration(after = DbPoolAutoConfiguration.class)
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
				ObjectProvider<QueryTracing> tracing) {
			return new ObservedDataSourceFactory(properties, settings, listenerFactories, Clock.systemUTC(),
					tracing.getIfAvailable());
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
			MicrometerObservations mode = properties.getObservation().getMicrometerObservations();
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
				return (dataSource != null)
						? DataSourceUnwrapper.unwrap(dataSource, HikariConfigMXBean.class, HikariDataSource.class)
						: null;
			}, new PoolPressureMonitor(alerts.getUtilizationThreshold()), alerts.getCheckInterval());
		}

	}

}
