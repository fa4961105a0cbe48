package dev.dbpool.endpoint;

import java.time.Clock;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.common.DatabaseSnapshotContributor;
import dev.dbpool.common.HikariPools;
import dev.dbpool.config.DbPoolProperties;
import dev.dbpool.config.DbPoolSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.RestController;

/**
 * The database snapshot at {@code /metrics/database} (application port, read-only, public
 * sections) and {@code /actuator/database} (complete, with the reset).
 */
@AutoConfiguration(afterName = "dev.dbpool.DbPoolAutoConfiguration", after = DataSourceAutoConfiguration.class)
@ConditionalOnClass(HikariDataSource.class)
@ConditionalOnSingleCandidate(DataSource.class)
public final class DbPoolEndpointAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(DbPoolEndpointAutoConfiguration.class);

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	PostgresServerView postgresServerView(DataSource dataSource, DbPoolProperties properties) {
		// Read through the bare pool so that the endpoint's own queries are not counted.
		HikariDataSource pool = HikariPools.find(dataSource);
		DbPoolProperties.Endpoint endpoint = properties.getEndpoint();
		return new PostgresServerView((pool != null) ? pool : dataSource, endpoint.getServerViewCacheTime(),
				endpoint.getServerViewTimeout(), properties.getObservation().getTopQueries(), Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	DatabaseSnapshotProvider databaseSnapshotProvider(DataSource dataSource, ObjectProvider<DbPoolSettings> settings,
			ObjectProvider<DatabaseSnapshotContributor> contributors, ObjectProvider<PostgresServerView> serverView) {
		return new DatabaseSnapshotProvider(dataSource, settings::getIfAvailable,
				() -> contributors.orderedStream().toList(), serverView.getIfAvailable(), Clock.systemUTC());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass(RestController.class)
	@Conditional(ApplicationPortEndpointCondition.class)
	static class ApplicationPortConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DatabaseMetricsController databaseMetricsController(DatabaseSnapshotProvider snapshots,
				DbPoolProperties properties) {
			return new DatabaseMetricsController(snapshots, properties.getEndpoint().isShowInternals()
					? DatabaseSnapshotContributor.Visibility.INTERNAL : DatabaseSnapshotContributor.Visibility.PUBLIC);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBooleanProperty("db.pool.endpoint.reset-enabled")
		DatabaseMetricsResetController databaseMetricsResetController(DatabaseSnapshotProvider snapshots) {
			logger.warn("db.pool.endpoint.reset-enabled=true: anyone who can reach the application port can reset"
					+ " the query statistics on the snapshot path");
			return new DatabaseMetricsResetController(snapshots);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Endpoint.class)
	@ConditionalOnAvailableEndpoint(DatabaseEndpoint.class)
	static class ActuatorConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DatabaseEndpoint databaseEndpoint(DatabaseSnapshotProvider snapshots) {
			return new DatabaseEndpoint(snapshots);
		}

	}

}
