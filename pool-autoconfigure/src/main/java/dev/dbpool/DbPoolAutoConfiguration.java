package dev.dbpool;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.config.DbPoolProperties;
import dev.dbpool.config.DbPoolSettings;
import dev.dbpool.config.DbPoolSettingsCheck;
import dev.dbpool.config.PoolSettingTable;
import dev.dbpool.datasource.HikariConfigCustomizer;
import dev.dbpool.datasource.AdditionalPools;
import dev.dbpool.datasource.PoolDataSourceFactory;
import dev.dbpool.datasource.PoolDefinition;
import dev.dbpool.datasource.PoolDefinitionLoader;
import dev.dbpool.datasource.StartupConnectionCheck;
import dev.dbpool.retry.TransientFailureClassifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Entry point of the dbpool starter: a tuned HikariCP pool for PostgreSQL, configured
 * from {@code db.pool.*}, the database URL and the seed environment aliases. Registered
 * before Boot's own DataSource auto-configuration, and backs off (saying so in the log)
 * when the application defines its own {@link DataSource} as a default candidate; a
 * DataSource declared with {@code @Bean(defaultCandidate = false)} is a secondary one and
 * leaves the starter's pool in place. Every {@code db.pool.*} key and value is checked
 * before any bean is created.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@ConditionalOnClass({ HikariDataSource.class, org.postgresql.Driver.class })
@EnableConfigurationProperties(DbPoolProperties.class)
public final class DbPoolAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(DbPoolAutoConfiguration.class);

	@Bean(DbPoolSettingsCheck.BEAN_NAME)
	@ConditionalOnMissingBean(name = DbPoolSettingsCheck.BEAN_NAME)
	static DbPoolSettingsCheck dbPoolSettingsCheck() {
		return new DbPoolSettingsCheck((environment) -> PoolDefinitionLoader.check(environment, true));
	}

	/**
	 * The application defines its own DataSource, and it is a default candidate: the
	 * starter builds no pool, and says so once, naming the bean.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(DataSource.class)
	@ConditionalOnMissingBean(PoolDefinition.class)
	static class BackOffConfiguration {

		@Bean
		BackOffNotice dbPoolBackOffNotice(ConfigurableListableBeanFactory beanFactory, Environment environment) {
			List<String> beans = new ArrayList<>();
			for (String name : beanFactory.getBeanNamesForType(DataSource.class, true, false)) {
				BeanDefinition definition = beanFactory.containsBeanDefinition(name)
						? beanFactory.getBeanDefinition(name) : null;
				boolean candidate = definition == null || (definition.isAutowireCandidate()
						&& !(definition instanceof AbstractBeanDefinition bean && !bean.isDefaultCandidate()));
				if (candidate) {
					beans.add("'" + name + "'" + ((definition != null && definition.getResourceDescription() != null)
							? " (" + definition.getResourceDescription() + ")" : ""));
				}
			}
			Set<String> additional = AdditionalPools.names(environment);
			logger.info("dbpool builds no pool: the application defines DataSource bean {}, so db.pool.* and "
					+ "DATABASE_URL do not apply to it{}; declare it with @Bean(defaultCandidate = false) to keep "
					+ "the starter's pool as the primary next to it", String.join(", ", beans),
					additional.isEmpty() ? "" : " and the additional pools " + additional + " are not built");
			return new BackOffNotice(List.copyOf(beans));
		}

	}

	/**
	 * Why the starter built no pool: the application's DataSource beans it backed off
	 * for.
	 *
	 * @param dataSources the beans, with where they are defined
	 */
	public record BackOffNotice(List<String> dataSources) {

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(DataSource.class)
	static class PoolConfiguration {

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
