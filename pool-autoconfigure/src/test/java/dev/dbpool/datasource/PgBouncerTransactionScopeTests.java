package dev.dbpool.datasource;

import java.io.StringReader;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.dbpool.DbPoolAutoConfiguration;
import dev.dbpool.config.DbPoolEnvironmentPostProcessor;
import dev.dbpool.testsupport.PgBouncerServer;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.largeobject.LargeObjectManager;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every path by which a statement reaches the server begins its transaction with the
 * isolation level and read-only flag the connection asked for, through a real PgBouncer
 * in transaction mode exactly as straight to PostgreSQL: statements created in an earlier
 * transaction, every {@code execute} variant, savepoints, the driver's metadata queries,
 * updatable result sets and the driver's own connection. The server says what the
 * transaction runs at ({@code current_setting('transaction_isolation')}).
 */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PgBouncerTransactionScopeTests {

	private static final int[] LEVELS = { Connection.TRANSACTION_READ_UNCOMMITTED,
			Connection.TRANSACTION_READ_COMMITTED, Connection.TRANSACTION_REPEATABLE_READ,
			Connection.TRANSACTION_SERIALIZABLE };

	private static final String SHOW_LEVEL = "SHOW transaction_isolation";

	private static TestDatabase database;

	private static PgBouncerServer bouncer;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DbPoolAutoConfiguration.class, DbPoolScalingAutoConfiguration.class,
				DataSourceAutoConfiguration.class))
		.withInitializer((context) -> new DbPoolEnvironmentPostProcessor()
			.postProcessEnvironment(context.getEnvironment(), new SpringApplication()))
		.withPropertyValues("spring.application.name=scope");

	@BeforeAll
	static void startPgBouncer() {
		Optional<String> unavailable = PgBouncerServer.unavailableReason();
		assumeTrue(unavailable.isEmpty(), () -> "Skipping PgBouncer tests: " + unavailable.orElseThrow());
		database = TestDatabase.shared().newDatabase("pgb_scope");
		database.execute("CREATE TABLE item (id int PRIMARY KEY, value int NOT NULL)",
				"CREATE TABLE seen (tag text, level text, read_only text)", "CREATE TABLE note (text text)");
		bouncer = PgBouncerServer.startTransactionPooling(database, 2);
	}

	@AfterAll
	static void stopPgBouncer() {
		if (bouncer != null) {
			bouncer.close();
		}
	}

	@BeforeEach
	void emptyTables() {
		database.execute("TRUNCATE item, seen, note", "INSERT INTO item VALUES (1, 0), (2, 0)");
	}

	@Test
	void statementsFromAnEarlierTransactionRunAtTheLevelOfTheLaterOne() {
		onBothPaths((connection, path) -> {
			for (int level : LEVELS) {
				int earlier = (level == Connection.TRANSACTION_SERIALIZABLE) ? Connection.TRANSACTION_READ_COMMITTED
						: Connection.TRANSACTION_SERIALIZABLE;
				connection.setAutoCommit(false);
				connection.setTransactionIsolation(earlier);
				try (PreparedStatement prepared = connection.prepareStatement(SHOW_LEVEL);
						Statement statement = connection.createStatement();
						CallableStatement callable = connection
							.prepareCall("SELECT current_setting('transaction_isolation')")) {
					assertThat(single(prepared.executeQuery())).as(path).isEqualTo(name(earlier));
					connection.commit();
					connection.setTransactionIsolation(level);
					assertThat(single(prepared.executeQuery())).as(path + " prepared, reused").isEqualTo(name(level));
					connection.commit();
					assertThat(single(statement.executeQuery(SHOW_LEVEL))).as(path + " statement, reused")
						.isEqualTo(name(level));
					connection.rollback();
					assertThat(single(callable.executeQuery())).as(path + " callable, reused").isEqualTo(name(level));
					connection.commit();
					assertThat(prepared.execute()).isTrue();
					assertThat(single(prepared.getResultSet())).as(path + " execute()").isEqualTo(name(level));
					connection.commit();
					// Auto-commit toggled: the next statement begins a new transaction.
					connection.setAutoCommit(true);
					connection.setAutoCommit(false);
					assertThat(single(prepared.executeQuery())).as(path + " after auto-commit toggled")
						.isEqualTo(name(level));
					connection.commit();
				}
			}
		});
	}

	@Test
	void everyExecuteVariantOfAReusedStatementRecordsTheLevelServerSide() {
		onBothPaths((connection, path) -> {
			database.execute("TRUNCATE seen");
			String insert = "INSERT INTO seen VALUES (?, current_setting('transaction_isolation'), "
					+ "current_setting('transaction_read_only'))";
			connection.setAutoCommit(false);
			try (PreparedStatement prepared = connection.prepareStatement(insert);
					Statement statement = connection.createStatement()) {
				prepared.setString(1, "first");
				prepared.executeUpdate();
				connection.commit();
				connection.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
				prepared.setString(1, "executeUpdate");
				prepared.executeUpdate();
				connection.commit();
				prepared.setString(1, "executeLargeUpdate");
				prepared.executeLargeUpdate();
				connection.commit();
				prepared.setString(1, "executeBatch");
				prepared.addBatch();
				prepared.executeBatch();
				connection.commit();
				prepared.setString(1, "executeLargeBatch");
				prepared.addBatch();
				prepared.executeLargeBatch();
				connection.commit();
				statement.executeUpdate(insert.replace("?", "'statement.executeUpdate'"));
				connection.commit();
				statement.executeLargeUpdate(insert.replace("?", "'statement.executeLargeUpdate'"));
				connection.commit();
				statement.addBatch(insert.replace("?", "'statement.executeBatch'"));
				statement.executeBatch();
				connection.commit();
				statement.execute(insert.replace("?", "'statement.execute'"));
				connection.commit();
			}
			List<String> rows = new ArrayList<>();
			try (Connection check = database.connect();
					ResultSet result = check.createStatement()
						.executeQuery("SELECT tag || ' ' || level FROM seen WHERE tag <> 'first' ORDER BY tag")) {
				while (result.next()) {
					rows.add(result.getString(1));
				}
			}
			assertThat(rows).as(path)
				.containsExactly("executeBatch serializable", "executeLargeBatch serializable",
						"executeLargeUpdate serializable", "executeUpdate serializable",
						"statement.execute serializable", "statement.executeBatch serializable",
						"statement.executeLargeUpdate serializable", "statement.executeUpdate serializable");
		});
	}

	@Test
	void readOnlyRefusesAWriteThroughAStatementOrResultSetFromAnEarlierTransaction() {
		onBothPaths((connection, path) -> {
			connection.setAutoCommit(false);
			try (PreparedStatement insert = connection.prepareStatement("INSERT INTO note VALUES ('x')");
					Statement updatable = connection.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE,
							ResultSet.CONCUR_UPDATABLE)) {
				insert.executeUpdate();
				ResultSet items = updatable.executeQuery("SELECT id, value FROM item ORDER BY id");
				connection.commit();
				connection.setReadOnly(true);
				SQLException refused = catchThrowableOfType(SQLException.class, insert::executeUpdate);
				assertThat((Throwable) refused).as(path + " reused insert").isNotNull();
				assertThat(refused.getSQLState()).as(path).isEqualTo("25006");
				connection.rollback();
				assertThat(items.next()).isTrue();
				items.updateInt("value", 7);
				SQLException refusedRow = catchThrowableOfType(SQLException.class, items::updateRow);
				assertThat((Throwable) refusedRow).as(path + " updateRow").isNotNull();
				assertThat(refusedRow.getSQLState()).as(path).isEqualTo("25006");
				connection.rollback();
				connection.setReadOnly(false);
			}
		});
	}

	@Test
	void aSavepointAsTheFirstActionBeginsTheTransactionAtItsLevel() {
		onBothPaths((connection, path) -> {
			for (int level : LEVELS) {
				connection.setAutoCommit(false);
				connection.setTransactionIsolation(level);
				connection.setReadOnly(true);
				Savepoint savepoint = connection.setSavepoint();
				try (Statement statement = connection.createStatement()) {
					assertThat(single(statement.executeQuery(SHOW_LEVEL))).as(path).isEqualTo(name(level));
					assertThat(single(statement.executeQuery("SELECT current_setting('transaction_read_only')")))
						.as(path)
						.isEqualTo("on");
					connection.rollback(savepoint);
				}
				connection.rollback();
				connection.setReadOnly(false);
			}
		});
	}

	@Test
	void theDriversMetadataQueriesBeginTheTransactionAtItsLevel() {
		onBothPaths((connection, path) -> {
			for (int level : LEVELS) {
				connection.setAutoCommit(false);
				connection.setTransactionIsolation(level);
				try (ResultSet tables = connection.getMetaData().getTables(null, "public", "item", null)) {
					assertThat(tables.next()).isTrue();
				}
				// Said again inside the transaction, as some frameworks do: nothing
				// changes.
				connection.setAutoCommit(false);
				try (Statement statement = connection.createStatement()) {
					assertThat(single(statement.executeQuery(SHOW_LEVEL))).as(path).isEqualTo(name(level));
				}
				connection.commit();
			}
		});
	}

	@Test
	void changingTheLevelOrReadOnlyInsideATransactionFailsAsInPgjdbc() {
		onBothPaths((connection, path) -> {
			connection.setAutoCommit(false);
			connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
			try (Statement statement = connection.createStatement()) {
				statement.executeQuery("SELECT 1").close();
				for (int level : LEVELS) {
					SQLException refused = catchThrowableOfType(SQLException.class,
							() -> connection.setTransactionIsolation(level));
					assertThat((Throwable) refused).as(path + " " + name(level)).isNotNull();
					assertThat(refused.getSQLState()).isEqualTo("25001");
				}
				SQLException refusedReadOnly = catchThrowableOfType(SQLException.class,
						() -> connection.setReadOnly(true));
				assertThat((Throwable) refusedReadOnly).as(path).isNotNull();
				assertThat(refusedReadOnly.getSQLState()).isEqualTo("25001");
				assertThat(single(statement.executeQuery(SHOW_LEVEL))).as(path).isEqualTo("repeatable read");
				connection.rollback();
				// A transaction the driver began on its own (a metadata query) is one
				// too.
				connection.getMetaData().getTables(null, "public", "item", null).close();
				SQLException refusedAfterMetadata = catchThrowableOfType(SQLException.class,
						() -> connection.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE));
				assertThat((Throwable) refusedAfterMetadata).as(path + " after metadata").isNotNull();
				assertThat(refusedAfterMetadata.getSQLState()).isEqualTo("25001");
				connection.rollback();
				assertThat(connection.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_REPEATABLE_READ);
			}
		});
	}

	@Test
	void largeObjectsThroughTheDriversConnectionRunInTheReadOnlyTransaction(CapturedOutput output) {
		onBothPaths((connection, path) -> {
			connection.setAutoCommit(false);
			connection.setReadOnly(true);
			LargeObjectManager largeObjects = connection.unwrap(PGConnection.class).getLargeObjectAPI();
			SQLException refused = catchThrowableOfType(SQLException.class,
					() -> largeObjects.createLO(LargeObjectManager.READWRITE));
			assertThat((Throwable) refused).as(path + " lo_creat in a read-only transaction").isNotNull();
			assertThat(refused.getSQLState()).isEqualTo("25006");
			connection.rollback();
			connection.setReadOnly(false);
			connection.unwrap(PGConnection.class);
		});
		assertThat(output.getOut().split("Connection.unwrap\\(PGConnection\\) hands out", -1)).hasSize(2);
	}

	@Test
	void aTransactionTheDriverBeganOutsideTheWrapperFailsItsNextStatementNamingTheCause() {
		onPgBouncer((connection) -> {
			PGConnection driver = connection.unwrap(PGConnection.class);
			connection.setAutoCommit(false);
			connection.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
			// COPY through a driver connection unwrapped before: it begins the
			// transaction
			// at whatever level the server connection has.
			driver.getCopyAPI().copyIn("COPY note FROM STDIN", new StringReader("copied\n"));
			try (Statement statement = connection.createStatement()) {
				SQLException refused = catchThrowableOfType(SQLException.class,
						() -> statement.executeQuery(SHOW_LEVEL));
				assertThat((Throwable) refused).isNotNull();
				assertThat(refused.getSQLState()).isEqualTo("25000");
				assertThat((Throwable) refused).hasMessageContaining("began outside")
					.hasMessageContaining("SERIALIZABLE")
					.hasMessageContaining("unwrap");
			}
			connection.rollback();
		});
	}

	@Test
	void autoCommitStatementsKeepPgjdbcsBehaviourOrAreWarnedAbout(CapturedOutput output) {
		onBothPaths((connection, path) -> {
			// pgjdbc's readOnlyMode=transaction: read-only does not apply to auto-commit.
			connection.setReadOnly(true);
			try (Statement statement = connection.createStatement()) {
				assertThat(statement.executeUpdate("INSERT INTO note VALUES ('autocommit')")).isEqualTo(1);
				connection.setReadOnly(false);
				connection.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
				String seen = single(statement.executeQuery(SHOW_LEVEL));
				assertThat(seen).as(path).isEqualTo(path.equals("direct") ? "serializable" : "read committed");
			}
		});
		assertThat(output).contains("auto-commit")
			.contains("runs at the server's default level")
			.contains("setAutoCommit(false)");
	}

	@Test
	void setSchemaIsWarnedOnceNamingTheSafeForm(CapturedOutput output) {
		onPgBouncer((connection) -> {
			connection.setSchema("public");
			connection.setSchema("public");
			assertThat(connection.getSchema()).isEqualTo("public");
		});
		assertThat(output.getOut().split("Connection.setSchema", -1)).hasSize(2);
		assertThat(output).contains("schema-qualified names").contains("ALTER ROLE");
	}

	@Test
	void setSchemaCanBeRefused() {
		this.contextRunner.withPropertyValues(pgBouncerUrl(), "db.pool.pgbouncer-session-state=fail").run((context) -> {
			try (Connection connection = context.getBean(DataSource.class).getConnection()) {
				SQLException refused = catchThrowableOfType(SQLException.class, () -> connection.setSchema("public"));
				assertThat((Throwable) refused).isNotNull().hasMessageContaining("Connection.setSchema");
				assertThat(refused.getSQLState()).isEqualTo("0A000");
			}
		});
	}

	@Test
	void applicationNameFromSetClientInfoIsWarnedOnceNamingTheSafeForm(CapturedOutput output) {
		onPgBouncer((connection) -> {
			connection.setClientInfo("ApplicationName", "alpha");
			connection.setClientInfo("ApplicationName", "beta");
			connection.setClientInfo("ClientUser", "someone");
		});
		assertThat(output.getOut().split("Connection.setClientInfo", -1)).hasSize(2);
		assertThat(output).contains("application_name").contains("db.pool.application-name");
	}

	@Test
	void applicationNameFromSetClientInfoCanBeRefused() {
		this.contextRunner.withPropertyValues(pgBouncerUrl(), "db.pool.pgbouncer-session-state=fail").run((context) -> {
			try (Connection connection = context.getBean(DataSource.class).getConnection()) {
				SQLException refused = catchThrowableOfType(SQLException.class,
						() -> connection.setClientInfo("ApplicationName", "alpha"));
				assertThat((Throwable) refused).isNotNull().hasMessageContaining("Connection.setClientInfo");
				assertThat(refused.getSQLState()).isEqualTo("0A000");
			}
		});
	}

	@Test
	void settingAndResettingCharacteristicsLeavesNoSessionStateOnAnyServerConnection() {
		this.contextRunner.withPropertyValues(pgBouncerUrl()).run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			try (Connection observer = dataSource.getConnection()) {
				for (int level : LEVELS) {
					for (boolean commit : new boolean[] { true, false }) {
						try (Connection connection = dataSource.getConnection()) {
							connection.setTransactionIsolation(level);
							connection.setReadOnly(true);
							// A session SET would have run on the server connection
							// PgBouncer
							// hands to the next client, here the observer.
							assertNoSessionCharacteristics(observer);
							connection.setAutoCommit(false);
							try (Statement statement = connection.createStatement()) {
								assertThat(single(statement.executeQuery(SHOW_LEVEL))).isEqualTo(name(level));
							}
							if (commit) {
								connection.commit();
							}
							// Closed as it is: HikariCP rolls back and resets the level,
							// the
							// flag and auto-commit through the wrapper.
						}
						assertNoSessionCharacteristics(observer);
					}
				}
			}
			try (Connection connection = dataSource.getConnection()) {
				assertThat(connection.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
				assertThat(connection.isReadOnly()).isFalse();
				assertThat(connection.getAutoCommit()).isTrue();
			}
		});
	}

	private static void assertNoSessionCharacteristics(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			assertThat(single(statement.executeQuery("SHOW default_transaction_isolation")))
				.isEqualTo("read committed");
			assertThat(single(statement.executeQuery("SHOW default_transaction_read_only"))).isEqualTo("off");
		}
	}

	@Test
	void readOnlyModeIgnoreLeavesTransactionsWritableAsInPgjdbc() {
		onBothPaths((connection, path) -> {
			connection.setAutoCommit(false);
			connection.setReadOnly(true);
			assertThat(connection.isReadOnly()).isTrue();
			try (Statement statement = connection.createStatement()) {
				assertThat(statement.executeUpdate("INSERT INTO note VALUES ('written')")).as(path).isEqualTo(1);
				assertThat(single(statement.executeQuery("SELECT current_setting('transaction_read_only')"))).as(path)
					.isEqualTo("off");
			}
			connection.rollback();
			connection.setReadOnly(false);
		}, "db.pool.data-source-properties.readOnlyMode=ignore");
	}

	private void onBothPaths(ConnectionCheck check, String... properties) {
		this.contextRunner.withPropertyValues(pgBouncerUrl()).withPropertyValues(properties).run((context) -> {
			try (Connection connection = context.getBean(DataSource.class).getConnection()) {
				check.accept(connection, "through PgBouncer");
			}
		});
		this.contextRunner.withPropertyValues("db.pool.url=" + database.databaseUrl() + "?connection_limit=2")
			.withPropertyValues(properties)
			.run((context) -> {
				try (Connection connection = context.getBean(DataSource.class).getConnection()) {
					check.accept(connection, "direct");
				}
			});
	}

	private void onPgBouncer(SingleConnectionCheck check) {
		this.contextRunner.withPropertyValues(pgBouncerUrl()).run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			try (Connection connection = dataSource.getConnection()) {
				check.accept(connection);
			}
		});
	}

	private static String pgBouncerUrl() {
		return "db.pool.url=" + bouncer.databaseUrl() + "?pgbouncer=true&connection_limit=4";
	}

	private static String single(ResultSet result) throws SQLException {
		try (result) {
			assertThat(result.next()).isTrue();
			return result.getString(1);
		}
	}

	private static String name(int level) {
		return switch (level) {
			case Connection.TRANSACTION_READ_UNCOMMITTED -> "read uncommitted";
			case Connection.TRANSACTION_READ_COMMITTED -> "read committed";
			case Connection.TRANSACTION_REPEATABLE_READ -> "repeatable read";
			default -> "serializable";
		};
	}

	@FunctionalInterface
	interface ConnectionCheck {

		void accept(Connection connection, String path) throws Exception;

	}

	@FunctionalInterface
	interface SingleConnectionCheck {

		void accept(Connection connection) throws Exception;

	}

}
