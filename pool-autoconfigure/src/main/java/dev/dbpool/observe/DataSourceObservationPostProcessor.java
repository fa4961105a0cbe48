package dev.dbpool.observe;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;

/**
 * Wraps every {@link HikariDataSource} bean in an {@link ObservedDataSource}, once, at
 * startup. Anything that is not a bare HikariDataSource (already observed, or wrapped by
 * another library) is left alone.
 */
public final class DataSourceObservationPostProcessor implements BeanPostProcessor, Ordered {

	private final ObjectProvider<ObservedDataSourceFactory> factory;

	public DataSourceObservationPostProcessor(ObjectProvider<ObservedDataSourceFactory> factory) {
		this.factory = factory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof HikariDataSource pool) {
			return this.factory.getObject().wrap(beanName, pool);
		}
		return bean;
	}

	@Override
	public int getOrder() {
		// Last, so that whatever else decorates the pool sees the bare HikariDataSource.
		return Ordered.LOWEST_PRECEDENCE;
	}

}
