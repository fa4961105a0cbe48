package dev.dbpool.sample.embedded;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.dbpool.embedded.EmbeddedPostgresServer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertyResolver;

/**
 * Starts an embedded PostgreSQL when the application has no database configured, and
 * points the starter at it through {@code db.pool.url}. The server becomes a singleton of
 * the context, destroyed with it, and every {@code DataSource} bean is made to depend on
 * it so that the pool closes before the server stops.
 * <p>
 * An initializer rather than an environment post-processor, because it needs the bean
 * factory to hand over the server's lifecycle, and because logging is already set up when
 * it runs.
 */
public class EmbeddedDatabaseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	/** Name of the {@link EmbeddedPostgresServer} singleton. */
	public static final String SERVER_BEAN_NAME = "embeddedPostgresServer";

	/** Name of the property source that points {@code db.pool.*} at the server. */
	public static final String PROPERTY_SOURCE_NAME = "sampleEmbeddedPostgres";

	/** Database the sample creates on the embedded server. */
	public static final String DATABASE_NAME = "dbpool_sample";

	/** Property that turns the embedded server off (it is on by default). */
	public static final String ENABLED_PROPERTY = "sample.embedded-database.enabled";

	/** Properties and variables that mean "a database is configured, use it". */
	static final List<String> DATABASE_SETTINGS = List.of("DATABASE_URL", "db.pool.url", "spring.datasource.url");

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedDatabaseInitializer.class);

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		ConfigurableEnvironment environment = context.getEnvironment();
		String configuredBy = configuredDatabase(environment);
		if (configuredBy != null) {
			logger.info("Using the database configured by {}", configuredBy);
			return;
		}
		if (!environment.getProperty(ENABLED_PROPERTY, Boolean.class, true)) {
			return;
		}
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		// pg_stat_statements loaded, so that the dashboard shows the server's own view.
		EmbeddedPostgresServer server = EmbeddedPostgresServer.builder()
			.serverConfig("shared_preload_libraries", "'pg_stat_statements'")
			.registerShutdownHook(false)
			.start();
		try {
			server.createDatabase(DATABASE_NAME);
			installStatementStatistics(server);
			beanFactory.registerSingleton(SERVER_BEAN_NAME, server);
			// Manually registered singletons are not destroyed by default; this makes the
			// context stop the server on close, and on a failed refresh too.
			((DefaultSingletonBeanRegistry) beanFactory).registerDisposableBean(SERVER_BEAN_NAME, server::close);
		}
		catch (RuntimeException ex) {
			server.close();
			throw ex;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, connectionProperties(server)));
		context.addBeanFactoryPostProcessor(new DataSourcesDependOnServer(SERVER_BEAN_NAME));
		logger.info(
				"No database configured ({}): started an embedded PostgreSQL on {}:{}, database '{}', user '{}', "
						+ "data directory {}. It stops when the application stops.",
				String.join(", ", DATABASE_SETTINGS), server.getHost(), server.getPort(), DATABASE_NAME,
				server.getUsername(), server.getDataDirectory());
	}

	/**
	 * The first setting that configures a database, or null when none does.
	 * @param environment where to look
	 * @return the name of the setting
	 */
	static @Nullable String configuredDatabase(PropertyResolver environment) {
		for (String name : DATABASE_SETTINGS) {
			String value = environment.getProperty(name);
			if (value != null && !value.isBlank()) {
				return name;
			}
		}
		return null;
	}

	private static void installStatementStatistics(EmbeddedPostgresServer server) {
		try (Connection connection = server.connect(DATABASE_NAME);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
		}
		catch (SQLException ex) {
			throw new IllegalStateException(
					"Could not install pg_stat_statements in " + DATABASE_NAME + " on " + server, ex);
		}
	}

	private static Map<String, Object> connectionProperties(EmbeddedPostgresServer server) {
		Map<String, Object> properties = new LinkedHashMap<>();
		// Credentials as separate properties, so that the URL the starter logs holds
		// none.
		properties.put("db.pool.url",
				"postgresql://" + server.getHost() + ":" + server.getPort() + "/" + DATABASE_NAME);
		properties.put("db.pool.username", server.getUsername());
		properties.put("db.pool.password", server.getPassword());
		return properties;
	}

}
