package dev.dbpool.observe;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.metrics.QueryMetrics;
import dev.dbpool.testsupport.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The acceptance list of the observation layer, against the real embedded PostgreSQL. */
@ExtendWith(OutputCaptureExtension.class)
class ObservedDataSourceTest {

	private static TestDatabase database;

	private static HikariDataSource pool;

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final SlowQueryLog slowQueryLog = new SlowQueryLog(Duration.ofMillis(200), 1000, 3, Clock.systemUTC());

	private final QueryObserver observer = new QueryObserver("dataSource", new StatementShapes(500, 2048, 1000),
			new QueryStatistics(Clock.systemUTC()), this.slowQueryLog, true, new QueryMetrics(this.registry, "test"));

	private final ObservedDataSource dataSource = new ObservedDataSource(pool, this.observer);

	@BeforeAll
	static void startPool() {
		database = TestDatabase.shared().newDatabase("observe");
		database.execute("CREATE TABLE accounts (id int PRIMARY KEY, name text, password text)",
				"INSERT INTO accounts SELECT g, 'user ' || g, 'pw' || g FROM generate_series(1, 100) g");
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(database.jdbcUrl());
		config.setUsername(database.username());
		config.setPassword(database.password());
		config.setMaximumPoolSize(4);
		config.setPoolName("observe-test");
		pool = new HikariDataSource(config);
	}

	@AfterAll
	static void closePool() {
		pool.close();
	}

	@Test
	void slowQueryIsLoggedOnceWithItsRealDurationAndListed(CapturedOutput output) throws SQLException {
		query("SELECT pg_sleep(0.3)");
		assertThat(output.getOut().lines().filter((line) -> line.contains("Slow query detected"))).singleElement()
			.satisfies((line) -> {
				assertThat(line).contains("WARN").contains("SELECT pg_sleep(?)").contains("dataSource=dataSource");
				long millis = Long.parseLong(line.replaceAll(".*Slow query detected \\((\\d+)ms\\).*", "$1"));
				assertThat(millis).isBetween(300L, 5_000L);
			});
		assertThat(this.observer.slowQueries()).singleElement().satisfies((slow) -> {
			assertThat(slow.query()).isEqualTo("SELECT pg_sleep(?)");
			assertThat(slow.duration()).isGreaterThanOrEqualTo(300);
		});
		assertThat(this.observer.statistics().slowQueries()).isEqualTo(1);
		assertThat(this.registry.get(QueryMetrics.SLOW_QUERIES).tag("kind", "select").counter().count()).isEqualTo(1);
	}

	@Test
	void fastQueryIsNeitherLoggedNorListed(CapturedOutput output) throws SQLException {
		query("SELECT pg_sleep(0.01)");
		assertThat(output.getOut()).doesNotContain("Slow query detected");
		assertThat(this.observer.slowQueries()).isEmpty();
		assertThat(this.observer.statistics().queriesExecuted()).isEqualTo(1);
		assertThat(this.observer.statistics().slowQueries()).isZero();
	}

	@Test
	void failingQueryCountsAsAnErrorWithItsSqlState() throws SQLException {
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement()) {
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(() -> statement.executeQuery("SELECT * FROM no_such_table"))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("42P01"));
		}
		assertThat(this.observer.statistics().queryErrors()).isEqualTo(1);
		assertThat(this.registry.get(QueryMetrics.QUERY_ERRORS).tag("sqlstate.class", "42").counter().count())
			.isEqualTo(1);
		assertThat(this.registry.get(QueryMetrics.QUERY_DURATION)
			.tags("outcome", "error", "kind", "select")
			.timer()
			.count()).isEqualTo(1);
	}

	@Test
	void slowQueryHistoryNeverExceedsItsSize() throws SQLException {
		for (int i = 0; i < 5; i++) {
			query("SELECT pg_sleep(0.21) AS q" + i);
			assertThat(this.observer.slowQueries()).hasSizeLessThanOrEqualTo(3);
		}
		assertThat(this.observer.slowQueries()).hasSize(3)
			.extracting(SlowQueryLog.SlowQuery::query)
			.containsExactly("SELECT pg_sleep(?) AS q4", "SELECT pg_sleep(?) AS q3", "SELECT pg_sleep(?) AS q2");
	}

	@Test
	void preparedStatementsWithDifferentValuesShareOneShapeAndTimer() throws SQLException {
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement("SELECT name FROM accounts WHERE id = ?")) {
			for (int id = 1; id <= 20; id++) {
				statement.setInt(1, id);
				try (ResultSet rows = statement.executeQuery()) {
					assertThat(rows.next()).isTrue();
				}
			}
		}
		assertThat(this.observer.topQueries(10)).singleElement().satisfies((shape) -> {
			assertThat(shape.query()).isEqualTo("SELECT name FROM accounts WHERE id = ?");
			assertThat(shape.count()).isEqualTo(20);
		});
		assertThat(this.registry.get(QueryMetrics.QUERY_DURATION)
			.tags("kind", "select", "outcome", "success", "pool", "test")
			.timer()
			.count()).isEqualTo(20);
	}

	@Test
	void distinctLiteralsAgainstTheServerCollapseIntoOneShape() throws SQLException {
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement()) {
			for (int id = 0; id < 10_000; id++) {
				statement.execute("SELECT name FROM accounts WHERE id = " + id);
			}
		}
		assertThat(this.observer.topQueries(10)).singleElement().satisfies((shape) -> {
			assertThat(shape.query()).isEqualTo("SELECT name FROM accounts WHERE id = ?");
			assertThat(shape.count()).isEqualTo(10_000);
		});
	}

	@Test
	void slowQueryParametersAreLoggedWithSecretsMasked(CapturedOutput output) throws SQLException {
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection
					.prepareStatement("SELECT pg_sleep(0.25), name FROM accounts WHERE name = ? OR password = ?")) {
			statement.setString(1, "user 1");
			statement.setString(2, "pw-very-secret");
			statement.executeQuery().close();
		}
		assertThat(output.getOut()).contains("parameters=[1='user 1', 2=****]").doesNotContain("pw-very-secret");
	}

	@Test
	void batchIsOneObservedExecutionOfItsStatementKind() throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.createStatement().execute("CREATE TEMP TABLE batch_target (id int)");
			try (PreparedStatement insert = connection.prepareStatement("INSERT INTO batch_target VALUES (?)")) {
				for (int id = 0; id < 5; id++) {
					insert.setInt(1, id);
					insert.addBatch();
				}
				assertThat(insert.executeBatch()).hasSize(5);
			}
		}
		assertThat(this.observer.topQueries(10)).extracting(StatementShape.ShapeSummary::query)
			.contains("INSERT INTO batch_target VALUES (?)");
		assertThat(this.registry.get(QueryMetrics.QUERY_DURATION)
			.tags("kind", "insert", "outcome", "success")
			.timer()
			.count()).isEqualTo(1);
	}

	@Test
	void unwrapsToThePoolForSpringBootsPoolMetricsAndHealth() throws SQLException {
		assertThat(DataSourceUnwrapper.unwrap(this.dataSource, HikariConfigMXBean.class, HikariDataSource.class))
			.isSameAs(pool);
		assertThat(this.dataSource.unwrap(HikariDataSource.class)).isSameAs(pool);
		try (Connection connection = this.dataSource.getConnection()) {
			assertThat(connection.isWrapperFor(org.postgresql.PGConnection.class)).isTrue();
			assertThat(connection.createStatement().getConnection()).isSameAs(connection);
		}
	}

	@Test
	void resetZeroesCountersAndForgetsHistory() throws SQLException {
		query("SELECT pg_sleep(0.21)");
		this.observer.reset();
		assertThat(this.observer.statistics().queriesExecuted()).isZero();
		assertThat(this.observer.slowQueries()).isEmpty();
		assertThat(this.observer.topQueries(10)).isEmpty();
	}

	@Test
	void resultSetsLeadBackToTheObservedStatementAndConnection() throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			try (Statement statement = connection.createStatement();
					ResultSet plain = statement.executeQuery("SELECT 1")) {
				assertThat(plain.getStatement()).isSameAs(statement);
				assertThat(plain.getStatement().getConnection()).isSameAs(connection);
				assertThat(statement.execute("SELECT 2")).isTrue();
				assertThat(statement.getResultSet().getStatement()).isSameAs(statement);
			}
			try (PreparedStatement prepared = connection.prepareStatement("SELECT name FROM accounts WHERE id = ?")) {
				prepared.setInt(1, 7);
				try (ResultSet result = prepared.executeQuery()) {
					assertThat(result.getStatement()).isSameAs(prepared);
					assertThat(result.next()).isTrue();
					assertThat(result.getString(1)).isEqualTo("user 7");
					assertThat(result.unwrap(org.postgresql.jdbc.PgResultSet.class)).isNotNull();
				}
			}
			try (PreparedStatement insert = connection.prepareStatement(
					"INSERT INTO accounts (id, name) VALUES (1000, 'keys') RETURNING id",
					Statement.RETURN_GENERATED_KEYS)) {
				insert.executeUpdate();
				try (ResultSet keys = insert.getGeneratedKeys()) {
					assertThat(keys.getStatement()).isSameAs(insert);
					assertThat(keys.getStatement().getConnection()).isSameAs(connection);
				}
			}
			finally {
				connection.createStatement().execute("DELETE FROM accounts WHERE id = 1000");
			}
		}
	}

	@Test
	void parameterCaptureIsTheStatementClassChosenWhenPrepared() throws SQLException {
		QueryObserver plain = QueryObserver.of("plain", this.slowQueryLog);
		try (Connection capturing = this.dataSource.getConnection();
				Connection notCapturing = new ObservedDataSource(pool, plain).getConnection();
				PreparedStatement withCapture = capturing.prepareStatement("SELECT ?");
				PreparedStatement withoutCapture = notCapturing.prepareStatement("SELECT ?");
				CallableStatement callWithCapture = capturing.prepareCall("SELECT ?");
				CallableStatement callWithoutCapture = notCapturing.prepareCall("SELECT ?")) {
			assertThat(withCapture).isInstanceOf(CapturingPreparedStatement.class);
			assertThat(callWithCapture).isInstanceOf(CapturingCallableStatement.class);
			assertThat(withoutCapture).isExactlyInstanceOf(ObservedPreparedStatement.class);
			assertThat(callWithoutCapture).isExactlyInstanceOf(ObservedCallableStatement.class);
			assertThat(((ObservedStatement) withoutCapture).parameters).isNull();
		}
	}

	private void query(String sql) throws SQLException {
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(sql)) {
			assertThat(rows.next()).isTrue();
		}
	}

}
