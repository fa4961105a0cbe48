package dev.dbpool.datasource;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.config.DbPoolProperties;
import dev.dbpool.retry.TransientFailureClassifier;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Named pools next to the starter's primary pool ({@code db.pool.additional.<name>.*}),
 * built, observed, health-checked and budgeted like the primary. See
 * {@link AdditionalPools}.
 */
@AutoConfiguration(afterName = "dev.dbpool.DbPoolAutoConfiguration", before = DataSourceAutoConfiguration.class)
@ConditionalOnClass({ HikariDataSource.class, org.postgresql.Driver.class })
@ConditionalOnBean(PoolDefinition.class)
public final class DbPoolAdditionalPoolsAutoConfiguration {

	@Bean
	static AdditionalPoolsRegistrar dbPoolAdditionalPoolsRegistrar(Environment environment) {
		return new AdditionalPoolsRegistrar(environment);
	}

	@Bean(name = AdditionalPoolsRegistrar.POOLS_BEAN)
	AdditionalPools dbPoolAdditionalPools(DbPoolProperties properties, ConfigurableEnvironment environment,
			PoolDefinition primary, ObjectProvider<TransientFailureClassifier> classifier,
			ObjectProvider<HikariConfigCustomizer> customizers) {
		return AdditionalPools.load(properties.getHealth().getTimeout(), environment, primary.settings().poolName(),
				classifier.getIfAvailable(TransientFailureClassifier::new), () -> customizers.orderedStream().toList());
	}

	@Bean
	@Nullable AdditionalPoolsContributor dbPoolAdditionalPoolsSnapshotContributor(AdditionalPools pools,
			BeanFactory beanFactory) {
		return pools.definitions().isEmpty() ? null : new AdditionalPoolsContributor(pools, beanFactory);
	}

}
