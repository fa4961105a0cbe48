package dev.dbpool.observe;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow statements run on the real server, with literals the server itself parsed, reach
 * the WARN line and the history masked unless raw SQL was asked for.
 */
@ExtendWith(OutputCaptureExtension.class)
class SlowQueryLogMaskingTest {

	/**
	 * The server runs it: so the lexer's reading of E'\'' and $tag$ matches the server's.
	 */
	private static final String SLOW_SQL = "SELECT pg_sleep(0.22), E'\\'' || 'orders@acme.example' AS who,"
			+ " $t$tok_S3CR3T$t$ AS token, ARRAY[4242, 1717] AS ids, '7'::int AS seven /* api_key=S3CR3T */";

	private static HikariDataSource pool;

	@BeforeAll
	static void startPool() {
		TestDatabase database = TestDatabase.shared();
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(database.jdbcUrl());
		config.setUsername(database.username());
		config.setPassword(database.password());
		config.setMaximumPoolSize(2);
		pool = new HikariDataSource(config);
	}

	@AfterAll
	static void closePool() {
		pool.close();
	}

	@Test
	void literalsAreMaskedInTheLogLineAndTheHistory(CapturedOutput output) throws SQLException {
		QueryObserver observer = observer(false);
		assertThat(run(observer)).isEqualTo("'orders@acme.example");
		String expected = "SELECT pg_sleep(?), ? || ? AS who, ? AS token, ARRAY[?, ?] AS ids, ?::int AS seven";
		assertThat(output.getOut().lines().filter((line) -> line.contains("Slow query detected"))).singleElement()
			.satisfies((line) -> assertThat(line).contains(expected)
				.doesNotContain("acme")
				.doesNotContain("S3CR3T")
				.doesNotContain("4242"));
		assertThat(observer.slowQueries()).singleElement()
			.satisfies((slow) -> assertThat(slow.query()).isEqualTo(expected));
		assertThat(observer.topQueries(5)).singleElement()
			.satisfies((shape) -> assertThat(shape.query()).isEqualTo(expected));
	}

	@Test
	void rawSqlIsAnExplicitOptIn(CapturedOutput output) throws SQLException {
		QueryObserver observer = observer(true);
		run(observer);
		assertThat(output.getOut()).contains("'orders@acme.example'");
		assertThat(observer.slowQueries()).singleElement()
			.satisfies((slow) -> assertThat(slow.query()).contains("tok_S3CR3T"));
		// A shape is a grouping: it never carries literals.
		assertThat(observer.topQueries(5)).singleElement()
			.satisfies((shape) -> assertThat(shape.query()).doesNotContain("acme"));
	}

	private static QueryObserver observer(boolean rawSql) {
		SlowQueryLog log = new SlowQueryLog(Duration.ofMillis(200), 1000, 5, rawSql, Clock.systemUTC());
		return new QueryObserver("dataSource", new StatementShapes(50, 100, 1000),
				new QueryStatistics(Clock.systemUTC()), log, false, QueryEventListener.NONE);
	}

	private static String run(QueryObserver observer) throws SQLException {
		ObservedDataSource dataSource = new ObservedDataSource(pool, observer);
		try (Connection connection = dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(SLOW_SQL)) {
			result.next();
			assertThat(result.getString("token")).isEqualTo("tok_S3CR3T");
			assertThat(result.getInt("seven")).isEqualTo(7);
			return result.getString("who");
		}
	}

}
