package dev.dbpool.datasource;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.RuntimeBeanReference;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Registers the beans of each additional pool: its DataSource and its health contributor.
 * Bean definitions (not instance suppliers), so that AOT processing can write them out;
 * the registrar itself is left out of the generated code, which holds its result.
 */
public final class AdditionalPoolsRegistrar
		implements BeanDefinitionRegistryPostProcessor, BeanRegistrationAotProcessor {

	static final String POOLS_BEAN = "dbPoolAdditionalPools";

	private static final String HEALTH_INDICATOR = "org.springframework.boot.health.contributor.HealthIndicator";

	private final Environment environment;

	public AdditionalPoolsRegistrar(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
		boolean health = ClassUtils.isPresent(HEALTH_INDICATOR, getClass().getClassLoader())
				&& this.environment.getProperty("db.pool.health.enabled", Boolean.class, true);
		for (String name : AdditionalPools.names(this.environment)) {
			RootBeanDefinition dataSource = new RootBeanDefinition();
			dataSource.setFactoryBeanName(POOLS_BEAN);
			dataSource.setUniqueFactoryMethodName("dataSource");
			dataSource.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
			dataSource.setTargetType(DataSource.class);
			dataSource.setDefaultCandidate(false);
			dataSource.setDestroyMethodName("close");
			registry.registerBeanDefinition(AdditionalPools.dataSourceBeanName(name), dataSource);
			if (health) {
				RootBeanDefinition indicator = new RootBeanDefinition(AdditionalPoolHealthIndicators.class);
				indicator.setUniqueFactoryMethodName("create");
				indicator.getConstructorArgumentValues()
					.addIndexedArgumentValue(0, new RuntimeBeanReference(AdditionalPools.dataSourceBeanName(name)));
				indicator.getConstructorArgumentValues()
					.addIndexedArgumentValue(1, new RuntimeBeanReference(POOLS_BEAN));
				registry.registerBeanDefinition(AdditionalPools.healthContributorBeanName(name), indicator);
			}
		}
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
	}

	@Override
	public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
		return null;
	}

}
