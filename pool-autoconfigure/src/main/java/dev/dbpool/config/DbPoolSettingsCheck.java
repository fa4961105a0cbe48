package dev.dbpool.config;

import java.util.List;
import java.util.Objects;

import dev.dbpool.common.InvalidDbPoolSettingException;
import dev.dbpool.common.SettingProblem;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Checks every {@code db.pool.*} key and value before any bean is created (and, when the
 * starter resolves its own pool, the pool settings and the
 * {@code spring.datasource.hikari.*} keys), so that a bad configuration fails the start
 * once, listing every problem, instead of surfacing in whichever bean reads it first.
 */
public final class DbPoolSettingsCheck implements BeanFactoryPostProcessor, EnvironmentAware {

	/** Name of the check's bean. */
	public static final String BEAN_NAME = "dbPoolSettingsCheck";

	/** Bean that, when defined, means the starter resolves its pool from the settings. */
	public static final String POOL_DEFINITION_BEAN_NAME = "dbPoolDefinition";

	/** The check of the pool settings, which the datasource layer supplies. */
	@FunctionalInterface
	public interface PoolCheck {

		/**
		 * Every problem of the environment for a pool the starter resolves, the
		 * {@link DbPoolConfigurationCheck} ones included.
		 * @param environment the environment
		 * @return the problems
		 */
		List<SettingProblem> problems(ConfigurableEnvironment environment);

	}

	private final @Nullable PoolCheck poolCheck;

	private @Nullable ConfigurableEnvironment environment;

	/**
	 * Create the check.
	 * @param poolCheck the pool's check, used when the starter resolves its own pool;
	 * null checks the {@code db.pool.*} keys and values only
	 */
	public DbPoolSettingsCheck(@Nullable PoolCheck poolCheck) {
		this.poolCheck = poolCheck;
	}

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = (ConfigurableEnvironment) environment;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		ConfigurableEnvironment environment = Objects.requireNonNull(this.environment, "environment");
		List<SettingProblem> problems = (this.poolCheck != null
				&& beanFactory.containsBeanDefinition(POOL_DEFINITION_BEAN_NAME)) ? this.poolCheck.problems(environment)
						: DbPoolConfigurationCheck.problems(environment);
		if (!problems.isEmpty()) {
			throw new InvalidDbPoolSettingException(problems);
		}
	}

}
