package dev.dbpool;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.config.DbPoolProperties;
import dev.dbpool.config.DbPoolSettings;
import dev.dbpool.config.DbPoolSettingsCheck;
import dev.dbpool.config.PoolSettingTable;
import dev.dbpool.datasource.HikariConfigCustomizer;
import dev.dbpool.datasource.PoolDataSourceFactory;
import dev.dbpool.datasource.PoolDefinition;
import dev.dbpool.datasource.PoolDefinitionLoader;
import dev.dbpool.datasource.StartupConnectionCheck;
import dev.dbpool.retry.TransientFailureClassifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Entry point of the dbpool starter: a tuned HikariCP pool for PostgreSQL, configured
 * from {@code db.pool.*}, the database URL and the seed environment aliases. Registered
 * before Boot's own DataSource auto-configuration, and backs off when the application
 * defines its own {@link DataSource}. Every {@code db.pool.*} key and value is checked
 * before any bean is created.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@ConditionalOnClass({ HikariDataSource.class, org.postgresql.Driver.class })
@EnableConfigurationProperties(DbPoolProperties.class)
public final class DbPoolAutoConfiguration {

	@Bean(DbPoolSettingsCheck.BEAN_NAME)
	@ConditionalOnMissingBean(name = DbPoolSettingsCheck.BEAN_NAME)
	static DbPoolSettingsCheck dbPoolSettingsCheck() {
		return new DbPoolSettingsCheck((environment) -> PoolDefinitionLoader.check(environment, true));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(DataSource.class)
	static class PoolConfiguration {

		private static final Logger logger = LoggerFactory.getLogger(DbPoolAutoConfiguration.class);

		@Bean(DbPoolSettingsCheck.POOL_DEFINITION_BEAN_NAME)
		@ConditionalOnMissingBean
		PoolDefinition dbPoolDefinition(DbPoolProperties properties, ConfigurableEnvironment environment,
				ObjectProvider<JdbcConnectionDetails> connectionDetails) {
			PoolDefinition definition = PoolDefinitionLoader.load(properties, environment,
					connectionDetails.getIfAvailable());
			logger.info("Database pool '{}' on {} as {}: {}", definition.settings().poolName(), definition.jdbcUrl(),
					definition.username(), definition.settings());
			return definition;
		}

		@Bean
		@ConditionalOnMissingBean
		DbPoolSettings dbPoolSettings(PoolDefinition definition) {
			return definition.settings();
		}

		// Declared as DataSource: observation may wrap the pool, and the bean's type must
		// not promise HikariDataSource then. dataSource.unwrap(HikariDataSource.class)
		// reaches it.
		@Bean
		DataSource dataSource(PoolDefinition definition, ObjectProvider<TransientFailureClassifier> classifier,
				ObjectProvider<HikariConfigCustomizer> customizers) {
			new StartupConnectionCheck(new org.postgresql.Driver(),
					classifier.getIfAvailable(TransientFailureClassifier::new))
				.await(definition, definition.settings().get(PoolSettingTable.STARTUP_TIMEOUT));
			return PoolDataSourceFactory.create(definition, true, customizers.orderedStream().toList());
		}

	}

}
