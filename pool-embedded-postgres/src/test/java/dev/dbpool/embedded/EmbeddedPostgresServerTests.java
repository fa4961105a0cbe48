package dev.dbpool.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedPostgresServerTests {

	@Test
	void startsServesStopsAndCleansUp() throws Exception {
		Path data;
		try (EmbeddedPostgresServer server = EmbeddedPostgresServer.builder()
			.registerShutdownHook(false)
			.serverConfig("max_connections", "25")
			.start()) {
			data = server.getDataDirectory();
			assertThat(server.isRunning()).isTrue();
			try (Connection connection = server.connect("postgres")) {
				assertThat(query(connection, "SHOW server_version")).startsWith("17.");
				assertThat(query(connection, "SHOW max_connections")).isEqualTo("25");
			}
			server.restart();
			try (Connection connection = server.connect("postgres")) {
				assertThat(query(connection, "SELECT 1")).isEqualTo("1");
			}
			server.stop();
			assertThat(server.isRunning()).isFalse();
			assertThat(data.resolve("postmaster.pid")).doesNotExist();
			server.startAgain();
			assertThat(server.isRunning()).isTrue();
		}
		assertThat(Files.exists(data)).isFalse();
	}

	@Test
	void binariesLiveInAPrivateDirectoryOfThisUser() throws Exception {
		try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start()) {
			Path binaries = PostgresBinaries.install();
			Path root = binaries.getParent();
			assertThat(root.getFileName().toString()).isEqualTo("dbpool-postgres-" + RootDetection.uid());
			assertThat(Files.getAttribute(root, "unix:uid")).isEqualTo(RootDetection.uid());
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root))).isEqualTo("rwxr-xr-x");
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(binaries.resolve("bin/postgres"))))
				.isEqualTo("rwxr-xr-x");
			assertThat(server.isRunning()).isTrue();
		}
	}

	private static String query(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
			result.next();
			return result.getString(1);
		}
	}

}
