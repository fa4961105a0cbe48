package dev.dbpool.retry;

import java.util.function.Consumer;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import dev.dbpool.testsupport.TestDatabase;

/**
 * Builds the Spring contexts of the database retry tests: the application's own
 * HikariDataSource, Boot's transaction manager and transaction auto-configuration, and
 * the retry auto-configuration, with short delays unless a test says otherwise.
 */
final class RetryTestContexts {

	private RetryTestContexts() {
	}

	static HikariDataSource pool(TestDatabase database, String poolName, Consumer<HikariConfig> customizer) {
		return pool(database.jdbcUrl(), database.username(), database.password(), poolName, customizer);
	}

	static HikariDataSource pool(String jdbcUrl, String username, String password, String poolName,
			Consumer<HikariConfig> customizer) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(jdbcUrl);
		config.setUsername(username);
		config.setPassword(password);
		config.setPoolName(poolName);
		config.setMaximumPoolSize(10);
		config.setConnectionTimeout(2000);
		config.setInitializationFailTimeout(-1);
		config.addDataSourceProperty("ApplicationName", poolName);
		customizer.accept(config);
		return new HikariDataSource(config);
	}

	static ConfigurableApplicationContext start(HikariDataSource dataSource, Class<?> services, String... properties) {
		return new SpringApplicationBuilder(Infrastructure.class, services).web(WebApplicationType.NONE)
			.bannerMode(org.springframework.boot.Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties("db.pool.retry.initial-delay=20ms", "db.pool.retry.max-delay=200ms",
					"db.pool.retry.contention-initial-delay=2ms", "db.pool.retry.contention-max-delay=50ms")
			.properties(properties)
			.initializers((context) -> context.getBeanFactory().registerSingleton("dataSource", dataSource))
			.run();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ TransactionAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
			DbPoolRetryAutoConfiguration.class })
	static class Infrastructure {

	}

}
