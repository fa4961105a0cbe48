package dev.dbpool.datasource;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.dbpool.common.InvalidDbPoolSettingException;
import dev.dbpool.common.SettingProblem;
import dev.dbpool.config.DbPoolConfigurationCheck;
import dev.dbpool.config.DbPoolProperties;
import dev.dbpool.config.EnvironmentSettingValues;
import dev.dbpool.config.SettingValues;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Reads what {@link PoolSettingsResolver} needs from the Spring environment (the
 * {@code db.pool.*} texts, the seed aliases, the application name, a server address from
 * a connection-details bean or {@code spring.datasource.*}) and fails with every problem
 * the environment has at once.
 */
public final class PoolDefinitionLoader {

	private static final String BOOT_PROPERTIES_DETAILS = "org.springframework.boot.jdbc.autoconfigure.PropertiesJdbcConnectionDetails";

	private PoolDefinitionLoader() {
	}

	/**
	 * Resolve the pool definition for this environment.
	 * @param properties the bound {@code db.pool} properties
	 * @param environment the environment they were bound from
	 * @param connectionDetails a connection-details bean, if one exists
	 * @return the pool definition
	 * @throws InvalidDbPoolSettingException listing every problem
	 */
	public static PoolDefinition load(DbPoolProperties properties, ConfigurableEnvironment environment,
			@Nullable JdbcConnectionDetails connectionDetails) {
		Set<SettingProblem> problems = new LinkedHashSet<>(environmentProblems(environment, true));
		try {
			PoolDefinition definition = resolver(environment, properties.getDataSourceProperties())
				.resolve(serverAddress(environment, connectionDetails));
			if (problems.isEmpty()) {
				return definition;
			}
		}
		catch (InvalidDbPoolSettingException ex) {
			addNew(problems, ex.getProblems());
		}
		throw new InvalidDbPoolSettingException(new ArrayList<>(problems));
	}

	/**
	 * Every problem of the environment, for the check that runs before any bean is
	 * created.
	 * @param environment the environment
	 * @param buildsPool whether the starter builds the pool from {@code db.pool.*} (its
	 * own pool definition is in use): then {@code spring.datasource.hikari.*} keys and
	 * the pool settings are checked too
	 * @return the problems, empty when all is well
	 */
	public static List<SettingProblem> check(ConfigurableEnvironment environment, boolean buildsPool) {
		Set<SettingProblem> problems = new LinkedHashSet<>(environmentProblems(environment, buildsPool));
		if (buildsPool) {
			Map<String, String> dataSourceProperties = Map.of();
			addNew(problems, resolver(environment, dataSourceProperties).settingProblems());
			addNew(problems, AdditionalPools.problems(environment));
		}
		return new ArrayList<>(problems);
	}

	private static List<SettingProblem> environmentProblems(ConfigurableEnvironment environment, boolean hikari) {
		List<SettingProblem> problems = new ArrayList<>(DbPoolConfigurationCheck.problems(environment));
		if (hikari) {
			problems.addAll(DbPoolConfigurationCheck.hikariProblems(environment));
		}
		return problems;
	}

	/** Adds the problems whose setting is not already reported. */
	static void addNew(Set<SettingProblem> problems, List<SettingProblem> more) {
		Set<String> reported = new LinkedHashSet<>();
		problems.forEach((problem) -> reported.add(problem.property()));
		for (SettingProblem problem : more) {
			if (reported.add(problem.property())) {
				problems.add(problem);
			}
		}
	}

	private static PoolSettingsResolver resolver(ConfigurableEnvironment environment,
			Map<String, String> dataSourceProperties) {
		return resolver(new EnvironmentSettingValues(environment), environment, dataSourceProperties);
	}

	static PoolSettingsResolver resolver(SettingValues values, ConfigurableEnvironment environment,
			Map<String, String> dataSourceProperties) {
		return new PoolSettingsResolver(values, dataSourceProperties,
				environment.getProperty("spring.application.name"),
				environment.getProperty("spring.threads.virtual.enabled", Boolean.class, false));
	}

	private static @Nullable ServerAddress serverAddress(ConfigurableEnvironment environment,
			@Nullable JdbcConnectionDetails connectionDetails) {
		if (connectionDetails != null && !BOOT_PROPERTIES_DETAILS.equals(connectionDetails.getClass().getName())) {
			return ServerAddress.connectionDetails(connectionDetails.getJdbcUrl(), connectionDetails.getUsername(),
					connectionDetails.getPassword(), connectionDetails.getClass().getSimpleName());
		}
		String url = environment.getProperty("spring.datasource.url");
		if (url != null && !url.isBlank()) {
			return ServerAddress.springDatasource(url, environment.getProperty("spring.datasource.username"),
					environment.getProperty("spring.datasource.password"));
		}
		return null;
	}

}
