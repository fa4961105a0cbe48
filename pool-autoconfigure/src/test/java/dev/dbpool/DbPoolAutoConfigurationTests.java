package dev.dbpool;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.common.DatabaseStartupException;
import dev.dbpool.common.DbPoolFailureAnalyzer;
import dev.dbpool.common.InvalidDbPoolSettingException;
import dev.dbpool.config.DbPoolEnvironmentPostProcessor;
import dev.dbpool.config.DbPoolSettings;
import dev.dbpool.config.PoolSettingTable;
import dev.dbpool.datasource.HikariConfigCustomizer;
import dev.dbpool.datasource.PoolDefinition;
import dev.dbpool.embedded.EmbeddedPostgresServer;
import dev.dbpool.retry.TransientFailureClassifier;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class DbPoolAutoConfigurationTests {

	private static TestDatabase database;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DbPoolAutoConfiguration.class, DataSourceAutoConfiguration.class))
		.withInitializer((context) -> new DbPoolEnvironmentPostProcessor()
			.postProcessEnvironment(context.getEnvironment(), new SpringApplication()));

	@BeforeAll
	static void createDatabase() {
		database = TestDatabase.shared().newDatabase("autoconfig");
		database.execute("CREATE SCHEMA sales");
	}

	@Test
	void createsTunedPoolFromDatabaseUrl(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("db.pool.url=" + database.databaseUrl() + "?connection_limit=4",
					"spring.application.name=orders-service")
			.run((context) -> {
				assertThat(context).hasSingleBean(DataSource.class);
				HikariDataSource dataSource = context.getBean(HikariDataSource.class);
				assertThat(dataSource.getMaximumPoolSize()).isEqualTo(4);
				assertThat(dataSource.getPoolName()).isEqualTo("orders-service");
				assertThat(context.getBean(DbPoolSettings.class).connectionLimit()).isEqualTo(4);
				assertThat(dataSource.getConnectionTimeout()).isEqualTo(10_000);
			});
		assertThat(output).doesNotContain(database.password());
	}

	@Test
	void serverSideSettingsReachPostgres() {
		this.contextRunner
			.withPropertyValues(
					"db.pool.url=" + database.databaseUrl()
							+ "?statement_timeout=12&idle_in_transaction_session_timeout=40&schema=sales",
					"spring.application.name=orders-service")
			.run((context) -> {
				try (Connection connection = context.getBean(DataSource.class).getConnection()) {
					assertThat(show(connection, "statement_timeout")).isEqualTo("12s");
					assertThat(show(connection, "idle_in_transaction_session_timeout")).isEqualTo("40s");
					assertThat(show(connection, "application_name")).isEqualTo("orders-service");
					assertThat(show(connection, "search_path")).isEqualTo("sales");
				}
			});
	}

	@Test
	void poolSizeIsObservedFromTheServer() {
		this.contextRunner
			.withPropertyValues("db.pool.url=" + database.databaseUrl(), "db.pool.connection-limit=3",
					"db.pool.application-name=pool-size-probe")
			.run((context) -> {
				HikariDataSource dataSource = context.getBean(HikariDataSource.class);
				dataSource.getConnection().close();
				org.awaitility.Awaitility.await()
					.atMost(Duration.ofSeconds(20))
					.until(() -> countBackends("pool-size-probe") == 3);
			});
	}

	@Test
	void explicitPropertyBeatsUrlParameterWhichBeatsAlias() {
		this.contextRunner
			.withPropertyValues("DATABASE_URL=" + database.databaseUrl() + "?connection_limit=6&pool_timeout=7",
					"DB_POOL_TIMEOUT=20", "DB_QUERY_TIMEOUT=9000", "db.pool.connection-limit=2")
			.run((context) -> {
				DbPoolSettings settings = context.getBean(DbPoolSettings.class);
				assertThat(settings.connectionLimit()).isEqualTo(2);
				assertThat(settings.source(PoolSettingTable.CONNECTION_LIMIT))
					.isEqualTo(DbPoolSettings.Source.PROPERTY);
				assertThat(settings.poolTimeout()).isEqualTo(Duration.ofSeconds(7));
				assertThat(settings.source(PoolSettingTable.POOL_TIMEOUT)).isEqualTo(DbPoolSettings.Source.URL);
				assertThat(settings.queryTimeout()).isEqualTo(Duration.ofSeconds(9));
				assertThat(settings.source(PoolSettingTable.QUERY_TIMEOUT))
					.isEqualTo(DbPoolSettings.Source.ENVIRONMENT);
				assertThat(settings.source(PoolSettingTable.IDLE_TIMEOUT)).isEqualTo(DbPoolSettings.Source.DEFAULT);
				assertThat(settings.source(PoolSettingTable.URL)).isEqualTo(DbPoolSettings.Source.ENVIRONMENT);
				assertThat(settings.value(PoolSettingTable.URL).origin()).isEqualTo("DATABASE_URL");
				assertThat(settings.value(PoolSettingTable.POOL_TIMEOUT).origin())
					.isEqualTo("DATABASE_URL parameter pool_timeout");
				assertThat(settings.source(PoolSettingTable.USERNAME)).isEqualTo(DbPoolSettings.Source.ENVIRONMENT);
			});
	}

	@Test
	void backsOffToUserDataSource() {
		this.contextRunner.withPropertyValues("db.pool.url=" + database.databaseUrl())
			.withBean("userDataSource", DataSource.class, SimpleDriverDataSource::new)
			.run((context) -> {
				assertThat(context).hasSingleBean(DataSource.class);
				assertThat(context.getBean(DataSource.class)).isInstanceOf(SimpleDriverDataSource.class);
				assertThat(context).doesNotHaveBean(DbPoolSettings.class);
			});
	}

	@Test
	void connectionDetailsSupplyAddressAndTuningStillApplies() {
		JdbcConnectionDetails details = new JdbcConnectionDetails() {

			@Override
			public String getUsername() {
				return database.username();
			}

			@Override
			public String getPassword() {
				return database.password();
			}

			@Override
			public String getJdbcUrl() {
				return database.jdbcUrl();
			}

		};
		this.contextRunner.withBean(JdbcConnectionDetails.class, () -> details)
			.withPropertyValues("db.pool.connection-limit=3", "db.pool.query-timeout=5s")
			.run((context) -> {
				HikariDataSource dataSource = context.getBean(HikariDataSource.class);
				assertThat(dataSource.getJdbcUrl()).isEqualTo(database.jdbcUrl());
				assertThat(dataSource.getMaximumPoolSize()).isEqualTo(3);
				try (Connection connection = dataSource.getConnection()) {
					assertThat(show(connection, "statement_timeout")).isEqualTo("5s");
				}
				DbPoolSettings settings = context.getBean(DbPoolSettings.class);
				assertThat(settings.source(PoolSettingTable.URL)).isEqualTo(DbPoolSettings.Source.CONNECTION_DETAILS);
				assertThat(settings.source(PoolSettingTable.USERNAME))
					.isEqualTo(DbPoolSettings.Source.CONNECTION_DETAILS);
				assertThat(settings.source(PoolSettingTable.CONNECTION_LIMIT))
					.isEqualTo(DbPoolSettings.Source.PROPERTY);
			});
	}

	@Test
	void invalidSettingFailsStartupWithAnalysis() {
		this.contextRunner.withPropertyValues("db.pool.url=" + database.databaseUrl(), "db.pool.pool-timeout=0")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new DbPoolFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("db.pool.pool-timeout")
					.contains("Value:    0\n")
					.contains("at least 1ms")
					.doesNotContain(database.password());
				assertThat(analysis.getAction()).contains("wait forever");
				assertThat(analysis.getCause()).isInstanceOf(InvalidDbPoolSettingException.class);
			});
	}

	@Test
	void bootHikariPropertyFailsNamingTheReplacement() {
		this.contextRunner
			.withPropertyValues("db.pool.url=" + database.databaseUrl(),
					"spring.datasource.hikari.maximum-pool-size=30")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new DbPoolFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("spring.datasource.hikari.maximum-pool-size")
					.contains("30");
				assertThat(analysis.getAction()).isEqualTo("Use db.pool.connection-limit=30 instead.");
			});
	}

	@Test
	void wrongPasswordFailsAtOnceWithoutThePassword(CapturedOutput output) {
		String wrong = "wrong-" + System.nanoTime();
		long start = System.nanoTime();
		this.contextRunner
			.withPropertyValues("db.pool.url=" + database.databaseUrl(), "db.pool.password=" + wrong,
					"db.pool.startup-timeout=60s")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new DbPoolFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getCause()).isInstanceOf(DatabaseStartupException.class);
				assertThat(analysis.getDescription()).contains("refused the login").contains("28P01");
				assertThat(analysis.getDescription()).doesNotContain(wrong).doesNotContain(database.password());
				assertThat(analysis.getAction()).contains("db.pool.password");
			});
		// A login refusal is final: it must not wait out the 60s startup timeout.
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
		assertThat(output).doesNotContain(wrong).doesNotContain(database.password());
	}

	@Test
	void missingDatabaseFailsAtOnce() {
		this.contextRunner
			.withPropertyValues("db.pool.url=" + database.databaseUrl().replace(database.database(), "no_such_db"))
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new DbPoolFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("3D000");
			});
	}

	@Test
	void unreachableServerFailsAfterStartupTimeoutNamingTheSetting() {
		this.contextRunner
			.withPropertyValues("db.pool.url=postgresql://u:secret-pw@127.0.0.1:1/db", "db.pool.startup-timeout=1s")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new DbPoolFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("Could not reach PostgreSQL")
					.contains("127.0.0.1:1")
					.doesNotContain("secret-pw");
				assertThat(analysis.getAction()).contains("db.pool.startup-timeout");
			});
	}

	@Test
	void startsWhenPostgresComesUpLater(CapturedOutput output) throws Exception {
		try (EmbeddedPostgresServer server = EmbeddedPostgresServer.builder().registerShutdownHook(false).start()) {
			server.stop();
			TestDatabase late = TestDatabase.embedded(server);
			ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
			try {
				CompletableFuture<Void> started = new CompletableFuture<>();
				scheduler.schedule(() -> {
					server.startAgain();
					started.complete(null);
				}, 5, TimeUnit.SECONDS);
				this.contextRunner
					.withPropertyValues("db.pool.url=" + late.databaseUrl(), "db.pool.startup-timeout=60s")
					.run((context) -> {
						assertThat(context).hasNotFailed();
						assertThat(started).isDone();
						try (Connection connection = context.getBean(DataSource.class).getConnection()) {
							assertThat(connection.isValid(1)).isTrue();
						}
					});
			}
			finally {
				scheduler.shutdownNow();
			}
			assertThat(output).contains("is not reachable yet").contains("is reachable after");
			assertThat(output).doesNotContain(server.getPassword());
		}
	}

	@Test
	void hikariConfigCustomizersApplyLastAndInOrder() {
		this.contextRunner.withUserConfiguration(Customizers.class)
			.withPropertyValues("db.pool.url=" + database.databaseUrl(), "db.pool.connection-limit=4")
			.run((context) -> {
				HikariDataSource dataSource = context.getBean(HikariDataSource.class);
				// The second customizer saw the first's limit and the starter's settings.
				assertThat(dataSource.getMaximumPoolSize()).isEqualTo(12);
				try (Connection connection = dataSource.getConnection()) {
					assertThat(show(connection, "application_name")).isEqualTo("customized-second");
				}
			});
	}

	@Test
	void userClassifierDecidesWhetherStartupWaits() {
		// The user's classifier never retries a refused connection (08001), so startup
		// fails at once instead of waiting out the 60s startup timeout.
		this.contextRunner
			.withBean(TransientFailureClassifier.class,
					() -> new TransientFailureClassifier(false, Set.of(), Set.of("08001")))
			.withPropertyValues("db.pool.url=postgresql://u:secret-pw@127.0.0.1:1/db", "db.pool.startup-timeout=60s")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new DbPoolFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("waiting will not cure").doesNotContain("secret-pw");
			});
	}

	@Test
	void userPoolDefinitionBuildsThePool() {
		DbPoolSettings settings = DbPoolSettings.builder()
			.put(PoolSettingTable.CONNECTION_LIMIT, 2, DbPoolSettings.Source.PROPERTY)
			.put(PoolSettingTable.MIN_IDLE, 1, DbPoolSettings.Source.PROPERTY)
			.put(PoolSettingTable.POOL_TIMEOUT, Duration.ofSeconds(3), DbPoolSettings.Source.PROPERTY)
			.put(PoolSettingTable.IDLE_TIMEOUT, Duration.ofSeconds(60), DbPoolSettings.Source.DEFAULT)
			.put(PoolSettingTable.MAX_LIFETIME, Duration.ofMinutes(30), DbPoolSettings.Source.DEFAULT)
			.put(PoolSettingTable.KEEPALIVE_TIME, Duration.ZERO, DbPoolSettings.Source.PROPERTY)
			.put(PoolSettingTable.LEAK_DETECTION_THRESHOLD, Duration.ZERO, DbPoolSettings.Source.DEFAULT)
			.put(PoolSettingTable.STARTUP_TIMEOUT, Duration.ofSeconds(5), DbPoolSettings.Source.PROPERTY)
			.poolName("user-defined")
			.build();
		PoolDefinition definition = new PoolDefinition(settings, database.jdbcUrl(), database.username(),
				database.password(), new Properties());
		this.contextRunner.withBean(PoolDefinition.class, () -> definition).run((context) -> {
			assertThat(context).hasNotFailed();
			HikariDataSource dataSource = context.getBean(HikariDataSource.class);
			assertThat(dataSource.getPoolName()).isEqualTo("user-defined");
			assertThat(dataSource.getMaximumPoolSize()).isEqualTo(2);
			assertThat(context.getBean(DbPoolSettings.class)).isSameAs(settings);
			try (Connection connection = dataSource.getConnection()) {
				assertThat(connection.isValid(1)).isTrue();
			}
		});
	}

	@Test
	void springDatasourcePropertiesAreLabelledAsSuch() {
		this.contextRunner
			.withPropertyValues("spring.datasource.url=" + database.jdbcUrl(),
					"spring.datasource.username=" + database.username(),
					"spring.datasource.password=" + database.password())
			.run((context) -> {
				DbPoolSettings settings = context.getBean(DbPoolSettings.class);
				assertThat(settings.source(PoolSettingTable.URL)).isEqualTo(DbPoolSettings.Source.SPRING_DATASOURCE);
				assertThat(settings.value(PoolSettingTable.URL).origin()).isEqualTo("spring.datasource.url");
				assertThat(settings.source(PoolSettingTable.USERNAME))
					.isEqualTo(DbPoolSettings.Source.SPRING_DATASOURCE);
				assertThat(settings.source(PoolSettingTable.CONNECTION_LIMIT)).isEqualTo(DbPoolSettings.Source.DEFAULT);
				assertThat(settings.source(PoolSettingTable.SOCKET_TIMEOUT)).isEqualTo(DbPoolSettings.Source.DERIVED);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class Customizers {

		@Bean
		@Order(2)
		HikariConfigCustomizer second() {
			return (config) -> {
				config.setMaximumPoolSize(config.getMaximumPoolSize() * 2);
				config.addDataSourceProperty("ApplicationName", "customized-second");
			};
		}

		@Bean
		@Order(1)
		HikariConfigCustomizer first() {
			return (config) -> {
				config.setMaximumPoolSize(config.getMaximumPoolSize() + 2);
				config.addDataSourceProperty("ApplicationName", "customized-first");
			};
		}

	}

	private static String show(Connection connection, String setting) throws Exception {
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SHOW " + setting)) {
			result.next();
			return result.getString(1);
		}
	}

	private static int countBackends(String applicationName) throws Exception {
		try (Connection connection = database.connect();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(
						"SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + applicationName + "'")) {
			result.next();
			return result.getInt(1);
		}
	}

}
