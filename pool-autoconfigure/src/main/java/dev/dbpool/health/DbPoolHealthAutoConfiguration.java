package dev.dbpool.health;

import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.dbpool.common.HikariPools;
import dev.dbpool.config.DbPoolProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointWebExtension;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Health, readiness, graceful drain and leak statistics of the pool. The health indicator
 * is registered as {@code db}, replacing Spring Boot's stock database indicator, which
 * borrows a pooled connection without a timeout.
 */
@AutoConfiguration(
		afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration" },
		beforeName = "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration")
@ConditionalOnClass(HikariDataSource.class)
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties(DbPoolProperties.class)
public final class DbPoolHealthAutoConfiguration {

	/** Name of the health contributor, the one Spring Boot's stock indicator uses. */
	public static final String INDICATOR_NAME = "db";

	private static final Logger logger = LoggerFactory.getLogger(DbPoolHealthAutoConfiguration.class);

	static @Nullable HikariDataSource hikari(DataSource dataSource) {
		return HikariPools.find(dataSource);
	}

	@Bean
	@ConditionalOnMissingBean
	ConnectionLeakStatistics connectionLeakStatistics(DataSource dataSource) {
		HikariDataSource pool = hikari(dataSource);
		long threshold = (pool != null) ? pool.getLeakDetectionThreshold() : 0;
		return new ConnectionLeakStatistics(Duration.ofMillis(threshold), Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	@Nullable PoolShutdownLifecycle poolShutdownLifecycle(DataSource dataSource, DbPoolProperties properties,
			ApplicationContext context, ApplicationAvailability availability) {
		HikariDataSource pool = hikari(dataSource);
		if (pool == null) {
			logger.debug("DataSource is not a HikariCP pool; no graceful drain");
			return null;
		}
		PoolDrain drain = new PoolDrain(() -> PoolStatistics.nameOf(pool), () -> activeConnections(pool),
				properties.getShutdown().getDrainTimeout(), System::nanoTime);
		return new PoolShutdownLifecycle(pool, drain, context, availability);
	}

	private static int activeConnections(HikariDataSource pool) {
		HikariPoolMXBean counters = pool.getHikariPoolMXBean();
		return (counters != null) ? counters.getActiveConnections() : 0;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "ch.qos.logback.classic.LoggerContext")
	static class LogbackLeakTrackingConfiguration {

		@Bean(destroyMethod = "detach")
		@ConditionalOnMissingBean
		@Nullable HikariLeakLogListener hikariLeakLogListener(ConnectionLeakStatistics statistics) {
			// Decided once: without leak detection nothing is attached and nothing is
			// paid.
			if (!statistics.isDetectionEnabled()) {
				return null;
			}
			if (!HikariLeakLogListener.isLogbackActive()) {
				logger.info("Connection leaks are logged by HikariCP but not counted: counting needs Logback");
				return null;
			}
			return HikariLeakLogListener.attach(statistics);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
	@ConditionalOnBooleanProperty(name = "db.pool.health.enabled", matchIfMissing = true)
	@ConditionalOnEnabledHealthIndicator(INDICATOR_NAME)
	static class HealthIndicatorConfiguration {

		@Bean(name = "dbHealthContributor")
		@ConditionalOnMissingBean(name = { "dbHealthIndicator", "dbHealthContributor" })
		HealthIndicator dbHealthContributor(DataSource dataSource, DbPoolProperties properties,
				ConnectionLeakStatistics leaks) {
			HikariDataSource pool = hikari(dataSource);
			if (pool == null) {
				logger.debug("DataSource is not a HikariCP pool; keeping Spring Boot's database health indicator");
				return new DataSourceHealthIndicator(dataSource);
			}
			PoolHealthIndicator indicator = new PoolHealthIndicator(pool, properties.getHealth().getTimeout(), leaks);
			indicator.prime();
			return indicator;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class, MeterRegistry.class })
	@ConditionalOnBooleanProperty(name = "db.pool.health.enabled", matchIfMissing = true)
	@ConditionalOnEnabledHealthIndicator(INDICATOR_NAME)
	static class DatabaseUpMetricConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@Nullable DatabaseUpMeterBinder databaseUpMeterBinder(ListableBeanFactory beanFactory, DataSource dataSource) {
			// The indicator is ours (dbHealthContributor) or the application's
			// (dbHealthIndicator); either answers for the database.
			for (String name : new String[] { "dbHealthContributor", "dbHealthIndicator" }) {
				if (beanFactory.containsBean(name) && beanFactory.isTypeMatch(name, HealthIndicator.class)) {
					HikariDataSource pool = hikari(dataSource);
					String poolName = (pool != null) ? PoolStatistics.nameOf(pool) : "dataSource";
					return new DatabaseUpMeterBinder(beanFactory.getBean(name, HealthIndicator.class), poolName);
				}
			}
			return null;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass({ RouterFunction.class, HealthEndpointWebExtension.class })
	@ConditionalOnBean(HealthEndpointWebExtension.class)
	@ConditionalOnBooleanProperty(name = "db.pool.health.enabled", matchIfMissing = true)
	@ConditionalOnExpression("!'${db.pool.health.readiness-path:/health/ready}'.isEmpty()")
	static class ReadinessPathConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "dbPoolReadinessRoute")
		RouterFunction<ServerResponse> dbPoolReadinessRoute(DbPoolProperties properties,
				HealthEndpointWebExtension healthEndpoint) {
			return RouterFunctions.route(RequestPredicates.GET(properties.getHealth().getReadinessPath()),
					new ReadinessPathHandler(healthEndpoint));
		}

	}

}
