package dev.dbpool.testsupport;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The fault proxy's protocol reading, and its faults against a real PostgreSQL. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultProxyTests {

	@Test
	void statementsAreReadFromQueryAndParseMessagesWhateverTheChunking() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		bytes.writeBytes(untyped(80877103, new byte[0]));
		bytes.writeBytes(untyped(196608, "user\0app\0\0".getBytes(StandardCharsets.UTF_8)));
		bytes.writeBytes(typed('Q', "SELECT 1\0"));
		bytes.writeBytes(typed('P', "S_1\0COMMIT\0\0\0"));
		bytes.writeBytes(typed('B', "\0S_1\0\0\0\0\0\0\0"));
		bytes.writeBytes(typed('S', ""));
		bytes.writeBytes(typed('Q', "commit;\0"));
		byte[] stream = bytes.toByteArray();
		for (int chunk : new int[] { 1, 3, 7, stream.length }) {
			List<String> seen = new ArrayList<>();
			FaultProxy.FrontendParser parser = new FaultProxy.FrontendParser(seen::add);
			for (int i = 0; i < stream.length; i += chunk) {
				byte[] part = java.util.Arrays.copyOfRange(stream, i, Math.min(stream.length, i + chunk));
				parser.feed(part, part.length);
			}
			assertThat(seen).as("chunks of %d", chunk).containsExactly("SELECT 1", "COMMIT", "commit;");
		}
	}

	@Test
	void cutAfterCommitLeavesTheCommitDoneAndTheClientWithoutAnAnswer() throws Exception {
		TestDatabase database = TestDatabase.shared().newDatabase("fault_proxy");
		database.execute("CREATE TABLE t (n int)");
		try (FaultProxy proxy = FaultProxy.start(database.host(), database.port())) {
			Connection connection = connect(proxy, database);
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				statement.execute("INSERT INTO t VALUES (1)");
			}
			proxy.cutNextCommit();
			Throwable thrown = catchThrowable(connection::commit);
			assertThat(thrown).isInstanceOf(SQLException.class);
			assertThat(((SQLException) thrown).getSQLState()).isEqualTo("08006");
			assertThat(proxy.cuts()).isEqualTo(1);
			try (Connection direct = database.connect(); Statement statement = direct.createStatement()) {
				var result = statement.executeQuery("SELECT count(*) FROM t");
				result.next();
				assertThat(result.getInt(1)).isEqualTo(1);
			}
		}
	}

	@Test
	void aFreshHostResetsOldConnectionsAndServesNewOnes() throws Exception {
		TestDatabase database = TestDatabase.shared().newDatabase("fault_proxy_fresh");
		try (FaultProxy proxy = FaultProxy.start(database.host(), database.port())) {
			Connection old = connect(proxy, database);
			proxy.blackHole();
			proxy.freshHost(database.host(), database.port());
			Throwable thrown = catchThrowable(() -> {
				try (Statement statement = old.createStatement()) {
					statement.execute("SELECT 1");
				}
			});
			assertThat(thrown).isInstanceOf(SQLException.class);
			assertThat(proxy.resets()).isEqualTo(1);
			try (Connection fresh = connect(proxy, database); Statement statement = fresh.createStatement()) {
				assertThat(statement.execute("SELECT 1")).isTrue();
			}
		}
	}

	private static Connection connect(FaultProxy proxy, TestDatabase database) throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", database.username());
		properties.setProperty("password", database.password());
		properties.setProperty("prepareThreshold", "0");
		properties.setProperty("socketTimeout", "5");
		return new org.postgresql.Driver().connect(proxy.jdbcUrl(database.database()), properties);
	}

	private static byte[] untyped(int code, byte[] rest) {
		return ByteBuffer.allocate(8 + rest.length).putInt(8 + rest.length).putInt(code).put(rest).array();
	}

	private static byte[] typed(char type, String body) {
		byte[] payload = body.getBytes(StandardCharsets.UTF_8);
		return ByteBuffer.allocate(5 + payload.length).put((byte) type).putInt(4 + payload.length).put(payload).array();
	}

}
