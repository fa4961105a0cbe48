package dev.dbpool.testsupport;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import dev.dbpool.embedded.EmbeddedPostgresServer;
import org.jspecify.annotations.Nullable;

/**
 * The PostgreSQL that tests run against, started once per JVM. By default an
 * {@link EmbeddedPostgresServer}; {@code DBPOOL_TEST_URL} (a
 * {@code postgresql://user:password@host:port/db} URL) selects an external server, and
 * {@code DBPOOL_TEST_DATABASE=testcontainers} a Testcontainers PostgreSQL (Docker
 * needed).
 */
public final class TestDatabase {

	/** Environment variable naming an external server to test against. */
	public static final String URL_VARIABLE = "DBPOOL_TEST_URL";

	/**
	 * Environment variable choosing {@code embedded} (default) or {@code testcontainers}.
	 */
	public static final String MODE_VARIABLE = "DBPOOL_TEST_DATABASE";

	private static final AtomicInteger databaseCounter = new AtomicInteger();

	private static @Nullable TestDatabase shared;

	private final String host;

	private final int port;

	private final String database;

	private final String username;

	private final String password;

	private final @Nullable EmbeddedPostgresServer embedded;

	TestDatabase(String host, int port, String database, String username, String password,
			@Nullable EmbeddedPostgresServer embedded) {
		this.host = host;
		this.port = port;
		this.database = database;
		this.username = username;
		this.password = password;
		this.embedded = embedded;
	}

	/** The database shared by every test in this JVM, started on first use. */
	public static synchronized TestDatabase shared() {
		if (shared == null) {
			shared = create();
		}
		return shared;
	}

	private static TestDatabase create() {
		String url = System.getenv(URL_VARIABLE);
		if (url != null && !url.isBlank()) {
			return external(url);
		}
		String mode = Optional.ofNullable(System.getenv(MODE_VARIABLE)).orElse("embedded").toLowerCase(Locale.ROOT);
		return switch (mode) {
			// pg_stat_statements must be loaded at server start; a database that wants
			// its
			// view runs CREATE EXTENSION. It costs a few MB of shared memory.
			case "embedded" -> embedded(EmbeddedPostgresServer.builder()
				.serverConfig("shared_preload_libraries", "'pg_stat_statements'")
				.start());
			case "testcontainers" -> TestcontainersDatabase.start();
			default -> throw new IllegalStateException(
					MODE_VARIABLE + "='" + mode + "' is not supported: use 'embedded' or 'testcontainers'");
		};
	}

	/** A test database on an embedded server, in its {@code postgres} database. */
	public static TestDatabase embedded(EmbeddedPostgresServer server) {
		return new TestDatabase(server.getHost(), server.getPort(), "postgres", server.getUsername(),
				server.getPassword(), server);
	}

	static TestDatabase external(String url) {
		URI uri = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
		String userInfo = Optional.ofNullable(uri.getRawUserInfo()).orElse("postgres:");
		int colon = userInfo.indexOf(':');
		String user = decode((colon < 0) ? userInfo : userInfo.substring(0, colon));
		String pass = (colon < 0) ? "" : decode(userInfo.substring(colon + 1));
		String path = Optional.ofNullable(uri.getPath()).orElse("/");
		String db = (path.length() > 1) ? decode(path.substring(1)) : "postgres";
		return new TestDatabase(uri.getHost(), (uri.getPort() > 0) ? uri.getPort() : 5432, db, user, pass, null);
	}

	public String host() {
		return this.host;
	}

	public int port() {
		return this.port;
	}

	public String database() {
		return this.database;
	}

	public String username() {
		return this.username;
	}

	public String password() {
		return this.password;
	}

	/** {@code jdbc:postgresql://host:port/database}, without credentials. */
	public String jdbcUrl() {
		return "jdbc:postgresql://" + this.host + ":" + this.port + "/" + this.database;
	}

	/**
	 * {@code postgresql://user:password@host:port/database}, as users set DATABASE_URL.
	 */
	public String databaseUrl() {
		return "postgresql://" + encode(this.username) + ":" + encode(this.password) + "@" + this.host + ":" + this.port
				+ "/" + encode(this.database);
	}

	/** The embedded server behind this database, for tests that stop or restart it. */
	public Optional<EmbeddedPostgresServer> embeddedServer() {
		return Optional.ofNullable(this.embedded);
	}

	/** Open a plain connection (no pool). */
	public Connection connect() throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", this.username);
		properties.setProperty("password", this.password);
		properties.setProperty("connectTimeout", "10");
		return DriverManager.getConnection(jdbcUrl(), properties);
	}

	/**
	 * Create a fresh, empty database on the same server, so that a test class owns its
	 * tables.
	 */
	public TestDatabase newDatabase(String prefix) {
		String name = (prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_") + "_"
				+ ProcessHandle.current().pid() + "_" + databaseCounter.incrementAndGet());
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE \"" + name + "\"");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create test database " + name + " on " + this, ex);
		}
		return new TestDatabase(this.host, this.port, name, this.username, this.password, this.embedded);
	}

	/** Run SQL statements, each in its own autocommit statement. */
	public void execute(String... sql) {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			for (String each : sql) {
				statement.execute(each);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("SQL failed on " + this + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public String toString() {
		return "TestDatabase[postgresql://" + this.username + ":****@" + this.host + ":" + this.port + "/"
				+ this.database + "]";
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

	private static String decode(String value) {
		return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
	}

}
