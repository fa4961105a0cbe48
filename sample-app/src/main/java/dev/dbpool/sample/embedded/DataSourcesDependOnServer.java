package dev.dbpool.sample.embedded;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Makes every {@link DataSource} bean depend on the embedded server, so that the context
 * creates the server first and destroys it last: the pool closes its connections while
 * the server is still there to accept the goodbye.
 */
final class DataSourcesDependOnServer implements BeanFactoryPostProcessor {

	private final String serverBeanName;

	DataSourcesDependOnServer(String serverBeanName) {
		this.serverBeanName = serverBeanName;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		for (String name : beanFactory.getBeanNamesForType(DataSource.class, true, false)) {
			if (!beanFactory.containsBeanDefinition(name)) {
				continue;
			}
			BeanDefinition definition = beanFactory.getBeanDefinition(name);
			Set<String> dependsOn = new LinkedHashSet<>();
			if (definition.getDependsOn() != null) {
				dependsOn.addAll(Arrays.asList(definition.getDependsOn()));
			}
			dependsOn.add(this.serverBeanName);
			definition.setDependsOn(dependsOn.toArray(String[]::new));
		}
	}

}
