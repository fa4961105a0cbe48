package dev.dbpool.metrics;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.observe.QueryEventListenerFactory;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters for observed statements and pool utilization, next to Boot's own
 * {@code hikaricp.*} and {@code jdbc.connections.*} meters (which it does not repeat).
 */
@AutoConfiguration(
		after = { MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class },
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration")
@ConditionalOnClass({ MeterRegistry.class, HikariDataSource.class })
@ConditionalOnBean(MeterRegistry.class)
public final class DbPoolMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "queryMetricsListenerFactory")
	QueryEventListenerFactory queryMetricsListenerFactory(ObjectProvider<MeterRegistry> registry) {
		return (dataSourceName, poolName) -> new QueryMetrics(registry.getObject(), poolName);
	}

	@Bean
	@ConditionalOnMissingBean
	PoolUtilizationMeterBinder poolUtilizationMeterBinder(ConfigurableListableBeanFactory beanFactory) {
		return new PoolUtilizationMeterBinder(() -> beanFactory.getBeansOfType(DataSource.class, false, false));
	}

}
