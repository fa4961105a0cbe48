package dev.dbpool.sample.embedded;

import java.nio.file.Path;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.datasource.PoolDataSourceFactory;
import dev.dbpool.embedded.EmbeddedPostgresServer;
import dev.dbpool.sample.HttpJson;
import dev.dbpool.sample.SampleApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app with no database configured: it starts its own PostgreSQL, serves from
 * it, and stops it after the pool when the application stops.
 */
@ExtendWith(OutputCaptureExtension.class)
class EmbeddedDatabaseLifecycleTests {

	@Test
	void embeddedServerRunsWithTheContextAndStopsAfterThePool(CapturedOutput output) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.properties("server.port=0")
			.run();
		EmbeddedPostgresServer server;
		HikariDataSource dataSource;
		Path pidFile;
		try {
			server = context.getBean(EmbeddedDatabaseInitializer.SERVER_BEAN_NAME, EmbeddedPostgresServer.class);
			dataSource = PoolDataSourceFactory.pool(context.getBean(DataSource.class));
			pidFile = server.getDataDirectory().resolve("postmaster.pid");
			assertThat(server.isRunning()).isTrue();
			assertThat(pidFile).exists();
			assertThat(dataSource.getJdbcUrl()).contains(":" + server.getPort() + "/");
			assertThat(context.getBeanFactory().getDependenciesForBean("dataSource"))
				.contains(EmbeddedDatabaseInitializer.SERVER_BEAN_NAME);
			int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
			assertThat(new HttpJson(port).get("/api/retailers").body()).isNotEmpty();
			assertThat(output).contains("started an embedded PostgreSQL on localhost:" + server.getPort())
				.contains(server.getDataDirectory().toString())
				.doesNotContain(server.getPassword());
		}
		finally {
			context.close();
		}
		assertThat(dataSource.isClosed()).isTrue();
		assertThat(server.isRunning()).isFalse();
		assertThat(pidFile).doesNotExist();
		assertThat(postgresProcessesOn(server.getDataDirectory())).isZero();
	}

	private static long postgresProcessesOn(Path dataDirectory) {
		return ProcessHandle.allProcesses()
			.filter((process) -> process.info()
				.commandLine()
				.map((line) -> line.contains(dataDirectory.toString()))
				.orElse(false))
			.count();
	}

}
