package dev.dbpool.datasource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import dev.dbpool.DbPoolAutoConfiguration;
import dev.dbpool.config.DbPoolEnvironmentPostProcessor;
import dev.dbpool.embedded.EmbeddedPostgresServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The fleet's connection budget against a private server with max_connections=20. */
@ExtendWith(OutputCaptureExtension.class)
class ConnectionBudgetCheckTests {

	private static EmbeddedPostgresServer server;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DbPoolAutoConfiguration.class, DbPoolScalingAutoConfiguration.class,
				DataSourceAutoConfiguration.class))
		.withInitializer((context) -> new DbPoolEnvironmentPostProcessor()
			.postProcessEnvironment(context.getEnvironment(), new SpringApplication()))
		.withPropertyValues("spring.application.name=billing");

	@BeforeAll
	static void startServer() {
		server = EmbeddedPostgresServer.builder().serverConfig("max_connections", "20").start();
	}

	@AfterAll
	static void stopServer() {
		if (server != null) {
			server.close();
		}
	}

	/**
	 * A closed connection's backend leaves pg_stat_activity a moment after the client
	 * returns; the budget counts what is there, so each test starts from an empty server.
	 */
	@BeforeEach
	void awaitNoOtherClientBackends() {
		Properties properties = new Properties();
		properties.setProperty("user", server.getUsername());
		properties.setProperty("password", server.getPassword());
		Awaitility.await("client backends of earlier tests gone").atMost(Duration.ofSeconds(10)).until(() -> {
			try (Connection connection = DriverManager.getConnection(server.getJdbcUrl("postgres"), properties);
					Statement statement = connection.createStatement();
					ResultSet others = statement.executeQuery("SELECT count(*) FROM pg_stat_activity"
							+ " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")) {
				others.next();
				return others.getInt(1) == 0;
			}
		});
	}

	@Test
	void fleetThatWouldExhaustTheServerLogsTheNumbersAndASuggestedLimit(CapturedOutput output) {
		this.contextRunner.withPropertyValues(url(), "db.pool.instances=3", "db.pool.connection-limit=10")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains("WARN")
					.contains("Connection budget exceeded: 3 instances x 10 connections = 30, server localhost:"
							+ server.getPort() + " accepts 17 (max_connections 20 - superuser_reserved_connections 3"
							+ " - reserved_connections 0 - 0 in use by other applications)")
					.contains("db.pool.connection-limit=5")
					.contains("cores x 2 + effective spindles");
				assertThat(output).doesNotContain(server.getPassword());
			});
	}

	@Test
	void fleetThatFitsLogsOneInfoLine(CapturedOutput output) {
		this.contextRunner.withPropertyValues(url(), "db.pool.instances=3", "db.pool.connection-limit=5")
			.run((context) -> {
				assertThat(output).contains("Connection budget: 3 instances x 5 connections = 15")
					.doesNotContain("Connection budget exceeded");
			});
	}

	@Test
	void connectionsHeldByOtherApplicationsShrinkTheBudget(CapturedOutput output) throws Exception {
		List<Connection> others = new ArrayList<>();
		try {
			for (int i = 0; i < 4; i++) {
				Properties properties = new Properties();
				properties.setProperty("user", server.getUsername());
				properties.setProperty("password", server.getPassword());
				properties.setProperty("ApplicationName", "reporting-tool");
				others.add(DriverManager.getConnection(server.getJdbcUrl("postgres"), properties));
			}
			this.contextRunner.withPropertyValues(url(), "db.pool.instances=1", "db.pool.connection-limit=15")
				.run((context) -> {
					assertThat(output).contains("accepts 13 (max_connections 20 - superuser_reserved_connections 3 "
							+ "- reserved_connections 0 - 4 in use by other applications)");
					ConnectionBudgetContributor contributor = context.getBean(ConnectionBudgetContributor.class);
					assertThat(contributor.section()).isEqualTo("connectionBudget");
					@SuppressWarnings("unchecked")
					Map<String, Object> section = (Map<String, Object>) contributor.snapshot();
					assertThat(section).containsEntry("checked", true)
						.containsEntry("maxConnections", 20)
						.containsEntry("inUseByOthers", 4)
						.containsEntry("available", 13)
						.containsEntry("fleetConnections", 15)
						.containsEntry("exhausted", true)
						.containsEntry("suggestedConnectionLimit", 13);
				});
		}
		finally {
			for (Connection connection : others) {
				connection.close();
			}
		}
	}

	private static String url() {
		return "db.pool.url=postgresql://postgres:" + server.getPassword() + "@localhost:" + server.getPort()
				+ "/postgres";
	}

}
