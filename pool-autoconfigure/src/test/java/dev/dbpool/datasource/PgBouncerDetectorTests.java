package dev.dbpool.datasource;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import dev.dbpool.config.DbPoolSettings.Source;
import dev.dbpool.config.DbPoolSettings;
import dev.dbpool.config.PoolSettingTable;
import dev.dbpool.datasource.PgBouncerDetector.Finding;
import dev.dbpool.datasource.PoolerDetection.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PgBouncerDetectorTests {

	private final PgBouncerDetector detector = new PgBouncerDetector();

	@Test
	void directServerWithPgbouncerOffIsFine() {
		assertThat(findings(false, new Properties(), detection(Kind.DIRECT, "30s"))).isEmpty();
	}

	@Test
	void directServerWithPgbouncerOnWarns() {
		assertThat(findings(true, prepareOff(), detection(Kind.DIRECT, "0"))).singleElement()
			.satisfies((finding) -> assertThat(finding.warning()).isTrue())
			.satisfies((finding) -> assertThat(finding.message()).contains("is PostgreSQL itself"));
	}

	@Test
	void transactionPoolingWithServerSidePreparedStatementsWarns() {
		assertThat(findings(false, new Properties(), detection(Kind.POOLER_TRANSACTION_MODE, "0"))).singleElement()
			.satisfies((finding) -> assertThat(finding.warning()).isTrue())
			.satisfies((finding) -> assertThat(finding.message()).contains("transaction pooling mode")
				.contains("SQLSTATE 26000")
				.contains("Set db.pool.pgbouncer=true"));
	}

	@Test
	void sessionPoolingWithPreparedStatementsIsOnlyNoted() {
		assertThat(findings(false, new Properties(), detection(Kind.POOLER_OTHER_MODE, "30s"))).singleElement()
			.satisfies((finding) -> assertThat(finding.warning()).isFalse());
	}

	@Test
	void pgbouncerOnWithTimeoutsInForceIsFine() {
		assertThat(findings(true, prepareOff(), detection(Kind.POOLER_TRANSACTION_MODE, "30s"))).isEmpty();
	}

	@Test
	void pgbouncerOnWithoutServerTimeoutsSaysWhereToSetThem() {
		assertThat(findings(true, prepareOff(), detection(Kind.POOLER_TRANSACTION_MODE, "0")))
			.extracting(Finding::message)
			.anySatisfy((message) -> assertThat(message).contains("db.pool.query-timeout (30s) is not in force")
				.contains("ALTER ROLE <user> SET statement_timeout = '30000ms'")
				.contains("connect_query='SET statement_timeout=30000'"))
			.anySatisfy((message) -> assertThat(message).contains("idle_in_transaction_session_timeout"));
	}

	@Test
	void startupParameterRejectionIsRecognizedOnlyFromPgBouncersMessage() {
		assertThat(PgBouncerDetector
			.isStartupParameterRejection(new SQLException("FATAL: unsupported startup parameter: options", "08P01")))
			.isTrue();
		assertThat(PgBouncerDetector.isStartupParameterRejection(new SQLException("protocol violation", "08P01")))
			.isFalse();
		assertThat(PgBouncerDetector
			.isStartupParameterRejection(new SQLException("unsupported startup parameter: options", "08001")))
			.isFalse();
	}

	@Test
	void serverIsTheHostListOfTheJdbcUrl() {
		assertThat(ServerSetupInspection.serverOf("jdbc:postgresql://db:5432/app")).isEqualTo("db:5432");
		assertThat(ServerSetupInspection.serverOf("jdbc:postgresql://h1:5432,h2:5433/app?targetServerType=primary"))
			.isEqualTo("h1:5432,h2:5433");
		assertThat(ServerSetupInspection.sameServer("jdbc:postgresql://DB:5432/app", "jdbc:postgresql://db:5432/other"))
			.isTrue();
		assertThat(ServerSetupInspection.sameServer("jdbc:postgresql://db:5432/app", "jdbc:postgresql://db:5433/app"))
			.isFalse();
	}

	private List<Finding> findings(boolean pgbouncer, Properties driver, PoolerDetection detection) {
		DbPoolSettings settings = DbPoolSettings.builder()
			.put(PoolSettingTable.PGBOUNCER, pgbouncer, Source.PROPERTY)
			.put(PoolSettingTable.QUERY_TIMEOUT, Duration.ofSeconds(30), Source.DEFAULT)
			.put(PoolSettingTable.IDLE_IN_TRANSACTION_TIMEOUT, Duration.ofSeconds(60), Source.DEFAULT)
			.build();
		return this.detector.findings("db:6432", settings, driver, detection);
	}

	private static Properties prepareOff() {
		Properties properties = new Properties();
		properties.setProperty("prepareThreshold", "0");
		return properties;
	}

	private static PoolerDetection detection(Kind kind, String timeouts) {
		return new PoolerDetection(kind, 12345, (kind == Kind.DIRECT) ? 12345 : 678, timeouts, timeouts);
	}

}
