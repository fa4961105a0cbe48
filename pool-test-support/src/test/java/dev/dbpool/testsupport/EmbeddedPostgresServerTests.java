package dev.dbpool.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

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
	void tcpConnectionsNeedThePassword() {
		TestDatabase database = TestDatabase.shared();
		Properties properties = new Properties();
		properties.setProperty("user", database.username());
		properties.setProperty("password", "not-" + database.password());
		assertThatExceptionOfType(SQLException.class)
			.isThrownBy(() -> java.sql.DriverManager.getConnection(database.jdbcUrl(), properties).close())
			.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("28P01"));
	}

	@Test
	void newDatabaseIsPrivateAndUsable() throws Exception {
		TestDatabase database = TestDatabase.shared().newDatabase("support");
		database.execute("CREATE TABLE t (id int)", "INSERT INTO t VALUES (1)");
		try (Connection connection = database.connect()) {
			assertThat(query(connection, "SELECT count(*) FROM t")).isEqualTo("1");
			assertThat(query(connection, "SELECT current_database()")).isEqualTo(database.database());
		}
		assertThat(database.toString()).doesNotContain(database.password()).contains("****");
	}

	@Test
	void externalUrlIsParsedWithoutKeepingThePasswordVisible() {
		TestDatabase external = TestDatabase.external("postgresql://app:p%40ss@db.example.com:6543/shop");
		assertThat(external.host()).isEqualTo("db.example.com");
		assertThat(external.port()).isEqualTo(6543);
		assertThat(external.database()).isEqualTo("shop");
		assertThat(external.username()).isEqualTo("app");
		assertThat(external.password()).isEqualTo("p@ss");
		assertThat(external.toString()).doesNotContain("p@ss");
	}

	private static String query(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
			result.next();
			return result.getString(1);
		}
	}

}
