package dev.dbpool.datasource;

import dev.dbpool.config.DbPoolSettings;

import dev.dbpool.common.InvalidDbPoolSettingException;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import dev.dbpool.config.DbPoolProperties;
import dev.dbpool.config.DbPoolSettings.Source;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class PoolSettingsResolverTests {

	private static final String URL = "postgresql://app:s3cret-pw@db.example.com:5433/shop";

	private final DbPoolProperties properties = new DbPoolProperties();

	private final Set<String> explicit = new HashSet<>();

	private final Map<String, String> aliases = new HashMap<>();

	@Test
	void defaultsAreTheTunedValues() {
		this.properties.setUrl(URL);
		DbPoolSettings settings = resolve().settings();
		assertThat(settings.connectionLimit()).isEqualTo(10);
		assertThat(settings.poolTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(settings.value("connectTimeout")).isEqualTo(Duration.ofSeconds(5));
		assertThat(settings.value("idleTimeout")).isEqualTo(Duration.ofSeconds(60));
		assertThat(settings.value("maxLifetime")).isEqualTo(Duration.ofMinutes(30));
		assertThat(settings.value("keepaliveTime")).isEqualTo(Duration.ofMinutes(2));
		assertThat(settings.queryTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(settings.value("idleInTransactionTimeout")).isEqualTo(Duration.ofSeconds(60));
		assertThat(settings.value("statementCacheSize")).isEqualTo(100);
		assertThat(settings.value("socketTimeout")).isEqualTo(Duration.ofSeconds(90));
		assertThat(settings.source("socketTimeout")).isEqualTo(Source.DERIVED);
		assertThat(settings.source("connectionLimit")).isEqualTo(Source.DEFAULT);
		assertThat(settings.value("minIdle")).isEqualTo(10);
	}

	@Test
	void applicationNameComesFromSpringApplicationName() {
		this.properties.setUrl(URL);
		PoolDefinition definition = new PoolSettingsResolver(this.properties, this.explicit::contains,
				this.aliases::get, "orders-service")
			.resolve(null);
		assertThat(definition.settings().poolName()).isEqualTo("orders-service");
		assertThat(definition.driverProperties().getProperty("ApplicationName")).isEqualTo("orders-service");
	}

	@Test
	void urlParameterOverridesDefault() {
		this.properties.setUrl(URL + "?connection_limit=7&pool_timeout=20&statement_timeout=15");
		DbPoolSettings settings = resolve().settings();
		assertThat(settings.connectionLimit()).isEqualTo(7);
		assertThat(settings.source("connectionLimit")).isEqualTo(Source.URL);
		assertThat(settings.poolTimeout()).isEqualTo(Duration.ofSeconds(20));
		assertThat(settings.queryTimeout()).isEqualTo(Duration.ofSeconds(15));
		assertThat(settings.value("socketTimeout")).isEqualTo(Duration.ofSeconds(45));
	}

	@Test
	void urlParameterOverridesDefaultButNotProperty() {
		this.properties.setUrl(URL + "?connection_limit=7");
		setExplicitly("connection-limit");
		this.properties.setConnectionLimit(4);
		DbPoolSettings settings = resolve().settings();
		assertThat(settings.connectionLimit()).isEqualTo(4);
		assertThat(settings.source("connectionLimit")).isEqualTo(Source.PROPERTY);
	}

	@Test
	void urlParameterBeatsEnvironmentAlias() {
		this.properties.setUrl(URL + "?connection_limit=7");
		this.properties.setConnectionLimit(20);
		this.aliases.put("connection-limit", "DB_CONNECTION_LIMIT");
		DbPoolSettings settings = resolve().settings();
		assertThat(settings.connectionLimit()).isEqualTo(7);
		assertThat(settings.source("connectionLimit")).isEqualTo(Source.URL);
	}

	@Test
	void environmentAliasBeatsDefault() {
		this.properties.setUrl(URL);
		this.properties.setPoolTimeout(Duration.ofSeconds(20));
		this.aliases.put("pool-timeout", "DB_POOL_TIMEOUT");
		DbPoolSettings settings = resolve().settings();
		assertThat(settings.poolTimeout()).isEqualTo(Duration.ofSeconds(20));
		assertThat(settings.source("poolTimeout")).isEqualTo(Source.ENVIRONMENT);
	}

	@Test
	void explicitPropertyBeatsAliasOfTheSameProperty() {
		this.properties.setUrl(URL + "?pool_timeout=5");
		this.properties.setPoolTimeout(Duration.ofSeconds(3));
		this.aliases.put("pool-timeout", "DB_POOL_TIMEOUT");
		setExplicitly("pool-timeout");
		DbPoolSettings settings = resolve().settings();
		assertThat(settings.poolTimeout()).isEqualTo(Duration.ofSeconds(3));
		assertThat(settings.source("poolTimeout")).isEqualTo(Source.PROPERTY);
	}

	@Test
	void serverTimeoutsGoIntoStartupOptions() {
		this.properties.setUrl(URL + "?statement_timeout=15&idle_in_transaction_session_timeout=45");
		PoolDefinition definition = resolve();
		assertThat(definition.driverProperties().getProperty("options"))
			.isEqualTo("-c statement_timeout=15000 -c idle_in_transaction_session_timeout=45000");
		assertThat(definition.driverProperties().getProperty("tcpKeepAlive")).isEqualTo("true");
		assertThat(definition.driverProperties().getProperty("socketTimeout")).isEqualTo("45");
		assertThat(definition.driverProperties().getProperty("connectTimeout")).isEqualTo("5");
		assertThat(definition.driverProperties().getProperty("preparedStatementCacheQueries")).isEqualTo("100");
	}

	@Test
	void seedProductionUrlGivesTheSettingsItDescribes() {
		this.properties.setUrl("postgresql://user:password@host:5432/database?connection_limit=10&pool_timeout=10"
				+ "&connect_timeout=5&sslmode=require");
		PoolDefinition definition = resolve();
		assertThat(definition.settings().connectionLimit()).isEqualTo(10);
		assertThat(definition.settings().poolTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(definition.settings().value("connectTimeout")).isEqualTo(Duration.ofSeconds(5));
		assertThat(definition.driverProperties().getProperty("sslmode")).isEqualTo("require");
		assertThat(definition.jdbcUrl()).isEqualTo("jdbc:postgresql://host:5432/database");
		assertThat(definition.username()).isEqualTo("user");
	}

	@Test
	void seedOptimizedUrlGivesTheSettingsItDescribes() {
		this.properties.setUrl("postgresql://user:pass@host:5432/db?connection_limit=10&pool_timeout=10"
				+ "&connect_timeout=30&idle_in_transaction_session_timeout=60&statement_timeout=30&schema=public"
				+ "&pgbouncer=true&sslmode=prefer");
		PoolDefinition definition = resolve();
		DbPoolSettings settings = definition.settings();
		assertThat(settings.value("connectTimeout")).isEqualTo(Duration.ofSeconds(30));
		assertThat(settings.queryTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(settings.value("idleInTransactionTimeout")).isEqualTo(Duration.ofSeconds(60));
		assertThat(settings.value("pgbouncer")).isEqualTo(true);
		assertThat(definition.driverProperties().getProperty("currentSchema")).isEqualTo("public");
		assertThat(definition.driverProperties().getProperty("prepareThreshold")).isEqualTo("0");
		assertThat(definition.driverProperties().getProperty("sslmode")).isEqualTo("prefer");
	}

	@Test
	void seedPgbouncerUrlTurnsOffPreparedStatements() {
		this.properties.setUrl("postgresql://user:password@localhost:6543/khaacho?connection_limit=10&pgbouncer=true");
		assertThat(resolve().driverProperties().getProperty("prepareThreshold")).isEqualTo("0");
	}

	@Test
	void urlParametersDoNotStayInTheJdbcUrlSoPropertiesCanWin() {
		this.properties.setUrl(URL + "?sslmode=require");
		setExplicitly("ssl-mode");
		this.properties.setSslMode("verify-full");
		PoolDefinition definition = resolve();
		assertThat(definition.jdbcUrl()).doesNotContain("sslmode");
		assertThat(definition.driverProperties().getProperty("sslmode")).isEqualTo("verify-full");
	}

	@Test
	void pgbouncerTurnsOffServerPreparedStatementsAndStartupOptions() {
		this.properties.setUrl(URL + "?pgbouncer=true");
		PoolDefinition definition = resolve();
		assertThat(definition.driverProperties().getProperty("prepareThreshold")).isEqualTo("0");
		assertThat(definition.driverProperties().getProperty("options")).isNull();
	}

	@Test
	void schemaBecomesCurrentSchema() {
		this.properties.setUrl(URL + "?schema=sales");
		assertThat(resolve().driverProperties().getProperty("currentSchema")).isEqualTo("sales");
	}

	@Test
	void dataSourcePropertiesPassThroughLast() {
		this.properties.setUrl(URL);
		this.properties.getDataSourceProperties().put("reWriteBatchedInserts", "true");
		assertThat(resolve().driverProperties().getProperty("reWriteBatchedInserts")).isEqualTo("true");
	}

	@Test
	void passwordNeverInToString() {
		this.properties.setUrl(URL);
		PoolDefinition definition = resolve();
		assertThat(definition.password()).isEqualTo("s3cret-pw");
		assertThat(definition.toString()).doesNotContain("s3cret-pw").contains("****");
		assertThat(definition.settings().toString()).doesNotContain("s3cret-pw");
	}

	@Test
	void propertyCredentialsOverrideUrlCredentials() {
		this.properties.setUrl(URL);
		this.properties.setUsername("reporting");
		this.properties.setPassword("other");
		PoolDefinition definition = resolve();
		assertThat(definition.username()).isEqualTo("reporting");
		assertThat(definition.password()).isEqualTo("other");
	}

	@Test
	void connectionDetailsOverrideTheUrlAddressButNotItsTuning() {
		this.properties.setUrl(URL + "?connection_limit=3");
		PoolDefinition definition = new PoolSettingsResolver(this.properties, this.explicit::contains,
				this.aliases::get, null)
			.resolve(new ServerAddress("jdbc:postgresql://container:32768/test", "test", "test", true));
		assertThat(definition.jdbcUrl()).isEqualTo("jdbc:postgresql://container:32768/test");
		assertThat(definition.username()).isEqualTo("test");
		assertThat(definition.settings().connectionLimit()).isEqualTo(3);
	}

	@Test
	void springDatasourceUrlIsUsedOnlyWithoutDatabaseUrl() {
		ServerAddress fallback = new ServerAddress("jdbc:postgresql://other:5432/db", "u", "p", false);
		this.properties.setUrl(URL);
		assertThat(new PoolSettingsResolver(this.properties, this.explicit::contains, this.aliases::get, null)
			.resolve(fallback)
			.jdbcUrl()).contains("db.example.com");
		this.properties.setUrl(null);
		assertThat(new PoolSettingsResolver(this.properties, this.explicit::contains, this.aliases::get, null)
			.resolve(fallback)
			.jdbcUrl()).isEqualTo("jdbc:postgresql://other:5432/db");
	}

	@Test
	void missingUrlFailsWithWhatToSet() {
		assertThatExceptionOfType(InvalidDbPoolSettingException.class).isThrownBy(this::resolve)
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("db.pool.url"))
			.satisfies((ex) -> assertThat(ex.getAction()).contains("DATABASE_URL"));
	}

	@Test
	void connectionLimitBelowOneFails() {
		this.properties.setUrl(URL + "?connection_limit=0");
		assertInvalid("db.pool.url parameter connection_limit", "0", "at least 1");
	}

	@Test
	void minIdleAboveLimitFails() {
		this.properties.setUrl(URL);
		setExplicitly("min-idle");
		this.properties.setMinIdle(11);
		assertInvalid("db.pool.min-idle", "11", "between 0 and connection-limit (10)");
	}

	@Test
	void zeroPoolTimeoutFails() {
		this.properties.setUrl(URL);
		setExplicitly("pool-timeout");
		this.properties.setPoolTimeout(Duration.ZERO);
		assertInvalid("db.pool.pool-timeout", "0", "at least 1ms");
	}

	@Test
	void poolTimeoutBelowHikariFloorIsKept() {
		this.properties.setUrl(URL);
		setExplicitly("pool-timeout");
		this.properties.setPoolTimeout(Duration.ofMillis(100));
		assertThat(resolve().settings().poolTimeout()).isEqualTo(Duration.ofMillis(100));
	}

	@Test
	void socketTimeoutNotAboveQueryTimeoutFails() {
		this.properties.setUrl(URL);
		setExplicitly("socket-timeout");
		this.properties.setSocketTimeout(Duration.ofSeconds(30));
		assertInvalid("db.pool.socket-timeout", "30s", "above query-timeout (30s)");
	}

	@Test
	void leakDetectionBelowTwoSecondsFails() {
		this.properties.setUrl(URL);
		setExplicitly("leak-detection-threshold");
		this.properties.setLeakDetectionThreshold(Duration.ofSeconds(1));
		assertInvalid("db.pool.leak-detection-threshold", "1s", "0 (off) or at least 2s");
	}

	@Test
	void idleTimeoutOnFixedSizePoolFails() {
		this.properties.setUrl(URL + "?idle_timeout=30");
		assertInvalid("db.pool.url parameter idle_timeout", "30s", "min-idle below connection-limit");
	}

	@Test
	void idleTimeoutAppliesWhenThePoolCanShrink() {
		this.properties.setUrl(URL + "?idle_timeout=30");
		setExplicitly("min-idle");
		this.properties.setMinIdle(2);
		assertThat(resolve().settings().value("idleTimeout")).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void keepaliveBelowThirtySecondsFails() {
		this.properties.setUrl(URL);
		setExplicitly("keepalive-time");
		this.properties.setKeepaliveTime(Duration.ofSeconds(10));
		assertInvalid("db.pool.keepalive-time", "10s", "0 (off) or at least 30s");
	}

	@Test
	void keepaliveAtMaxLifetimeFails() {
		this.properties.setUrl(URL);
		setExplicitly("keepalive-time");
		setExplicitly("max-lifetime");
		this.properties.setKeepaliveTime(Duration.ofMinutes(5));
		this.properties.setMaxLifetime(Duration.ofMinutes(5));
		assertInvalid("db.pool.keepalive-time", "300s", "below max-lifetime (300s)");
	}

	@Test
	void negativeQueryTimeoutFails() {
		this.properties.setUrl(URL);
		setExplicitly("query-timeout");
		this.properties.setQueryTimeout(Duration.ofSeconds(-1));
		assertInvalid("db.pool.query-timeout", "-1s", "0 (no limit) or a positive duration");
	}

	@Test
	void fractionalConnectTimeoutFails() {
		this.properties.setUrl(URL);
		setExplicitly("connect-timeout");
		this.properties.setConnectTimeout(Duration.ofMillis(1500));
		assertInvalid("db.pool.connect-timeout", "1500ms", "a whole number of seconds, at least 1s");
	}

	@Test
	void unknownSslModeFails() {
		this.properties.setUrl(URL);
		setExplicitly("ssl-mode");
		this.properties.setSslMode("sometimes");
		assertInvalid("db.pool.ssl-mode", "sometimes", "one of disable, allow, prefer");
	}

	@Test
	void aliasValueFailureNamesTheVariable() {
		this.properties.setUrl(URL);
		this.properties.setConnectionLimit(0);
		this.aliases.put("connection-limit", "DB_CONNECTION_LIMIT");
		assertInvalid("DB_CONNECTION_LIMIT", "0", "at least 1");
	}

	private void assertInvalid(String property, String value, String expected) {
		assertThatExceptionOfType(InvalidDbPoolSettingException.class).isThrownBy(this::resolve).satisfies((ex) -> {
			assertThat(ex.getProperty()).isEqualTo(property);
			assertThat(ex.getValue()).isEqualTo(value);
			assertThat(ex.getExpected()).contains(expected);
			assertThat(ex.getAction()).isNotBlank();
			assertThat(ex.getMessage()).doesNotContain("s3cret-pw");
		});
	}

	private void setExplicitly(String property) {
		this.explicit.add(property);
	}

	private PoolDefinition resolve() {
		return new PoolSettingsResolver(this.properties, this.explicit::contains, this.aliases::get, null)
			.resolve(null);
	}

}
