package dev.dbpool.testsupport;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TestDatabaseTests {

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
