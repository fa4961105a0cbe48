package dev.dbpool.observe;

import java.time.Clock;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.DbPoolAutoConfiguration;
import dev.dbpool.config.DbPoolProperties;
import dev.dbpool.config.DbPoolSettings;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Query observation (slow-query log, statistics, shapes) around the HikariCP pool, and
 * pool pressure warnings.
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
				ObjectProvider<DbPoolSettings> settings, ObjectProvider<QueryEventListenerFactory> listenerFactories) {
			return new ObservedDataSourceFactory(properties, settings, listenerFactories, Clock.systemUTC());
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
