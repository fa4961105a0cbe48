package dev.dbpool.datasource;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import dev.dbpool.common.InvalidDbPoolSettingException;
import dev.dbpool.config.DbPoolSettings.Source;
import dev.dbpool.config.DbPoolSettings;
import dev.dbpool.config.PoolSetting;
import dev.dbpool.config.PoolSettingTable;
import dev.dbpool.config.SettingValues;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class PoolSettingsResolverTests {

	private static final String URL = "postgresql://app:s3cret-pw@db.example.com:5433/shop";

	private final Map<String, String> values = new HashMap<>();

	private final Set<String> explicit = new HashSet<>();

	private final Map<String, String> aliases = new HashMap<>();

	private final Map<String, String> dataSourceProperties = new HashMap<>();

	@Test
	void defaultsAreTheTunedValues() {
		set("url", URL);
		DbPoolSettings settings = resolve().settings();
		assertThat(settings.connectionLimit()).isEqualTo(10);
		assertThat(settings.poolTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(settings.get(PoolSettingTable.CONNECT_TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
		assertThat(settings.get(PoolSettingTable.IDLE_TIMEOUT)).isEqualTo(Duration.ofSeconds(60));
		assertThat(settings.get(PoolSettingTable.MAX_LIFETIME)).isEqualTo(Duration.ofMinutes(30));
		assertThat(settings.get(PoolSettingTable.KEEPALIVE_TIME)).isEqualTo(Duration.ofMinutes(2));
		assertThat(settings.queryTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(settings.get(PoolSettingTable.IDLE_IN_TRANSACTION_TIMEOUT)).isEqualTo(Duration.ofSeconds(60));
		assertThat(settings.get(PoolSettingTable.STATEMENT_CACHE_SIZE)).isEqualTo(100);
		// min(3 x 30 s, 30 s + 10 s): no call waits on a dead connection past 40 s.
		assertThat(settings.get(PoolSettingTable.SOCKET_TIMEOUT)).isEqualTo(Duration.ofSeconds(40));
		assertThat(settings.source(PoolSettingTable.SOCKET_TIMEOUT)).isEqualTo(Source.DERIVED);
		assertThat(settings.source(PoolSettingTable.CONNECTION_LIMIT)).isEqualTo(Source.DEFAULT);
		assertThat(settings.get(PoolSettingTable.MIN_IDLE)).isEqualTo(10);
	}

	@Test
	void applicationNameComesFromSpringApplicationName() {
		set("url", URL);
		PoolDefinition definition = resolver("orders-service").resolve(null);
		assertThat(definition.settings().poolName()).isEqualTo("orders-service");
		assertThat(definition.driverProperties().getProperty("ApplicationName")).isEqualTo("orders-service");
	}

	@Test
	void derivedSocketTimeoutIsThreeTimesAShortQueryTimeoutAndAtMostTenSecondsAboveALongOne() {
		set("url", URL);
		set("query-timeout", Duration.ofSeconds(2));
		assertThat(resolve().settings().get(PoolSettingTable.SOCKET_TIMEOUT)).isEqualTo(Duration.ofSeconds(6));
		set("query-timeout", Duration.ofMinutes(2));
		assertThat(resolve().settings().get(PoolSettingTable.SOCKET_TIMEOUT)).isEqualTo(Duration.ofSeconds(130));
	}

	@Test
	void urlParameterOverridesDefault() {
		set("url", URL + "?connection_limit=7&pool_timeout=20&statement_timeout=15");
		DbPoolSettings settings = resolve().settings();
		assertThat(settings.connectionLimit()).isEqualTo(7);
		assertThat(settings.source(PoolSettingTable.CONNECTION_LIMIT)).isEqualTo(Source.URL);
		assertThat(settings.poolTimeout()).isEqualTo(Duration.ofSeconds(20));
		assertThat(settings.queryTimeout()).isEqualTo(Duration.ofSeconds(15));
		assertThat(settings.get(PoolSettingTable.SOCKET_TIMEOUT)).isEqualTo(Duration.ofSeconds(25));
	}

	@Test
	void urlParameterOverridesDefaultButNotProperty() {
		set("url", URL + "?connection_limit=7");
		setExplicitly("connection-limit");
		set("connection-limit", String.valueOf(4));
		DbPoolSettings settings = resolve().settings();
		assertThat(settings.connectionLimit()).isEqualTo(4);
		assertThat(settings.source(PoolSettingTable.CONNECTION_LIMIT)).isEqualTo(Source.PROPERTY);
	}

	@Test
	void urlParameterBeatsEnvironmentAlias() {
		set("url", URL + "?connection_limit=7");
		set("connection-limit", String.valueOf(20));
		this.aliases.put("connection-limit", "DB_CONNECTION_LIMIT");
		DbPoolSettings settings = resolve().settings();
		assertThat(settings.connectionLimit()).isEqualTo(7);
		assertThat(settings.source(PoolSettingTable.CONNECTION_LIMIT)).isEqualTo(Source.URL);
	}

	@Test
	void environmentAliasBeatsDefault() {
		set("url", URL);
		set("pool-timeout", Duration.ofSeconds(20));
		this.aliases.put("pool-timeout", "DB_POOL_TIMEOUT");
		DbPoolSettings settings = resolve().settings();
		assertThat(settings.poolTimeout()).isEqualTo(Duration.ofSeconds(20));
		assertThat(settings.source(PoolSettingTable.POOL_TIMEOUT)).isEqualTo(Source.ENVIRONMENT);
	}

	@Test
	void explicitPropertyBeatsAliasOfTheSameProperty() {
		set("url", URL + "?pool_timeout=5");
		set("pool-timeout", Duration.ofSeconds(3));
		this.aliases.put("pool-timeout", "DB_POOL_TIMEOUT");
		setExplicitly("pool-timeout");
		DbPoolSettings settings = resolve().settings();
		assertThat(settings.poolTimeout()).isEqualTo(Duration.ofSeconds(3));
		assertThat(settings.source(PoolSettingTable.POOL_TIMEOUT)).isEqualTo(Source.PROPERTY);
	}

	@Test
	void serverTimeoutsGoIntoStartupOptions() {
		set("url", URL + "?statement_timeout=15&idle_in_transaction_session_timeout=45");
		PoolDefinition definition = resolve();
		assertThat(definition.driverProperties().getProperty("options"))
			.isEqualTo("-c statement_timeout=15000 -c idle_in_transaction_session_timeout=45000");
		assertThat(definition.driverProperties().getProperty("tcpKeepAlive")).isEqualTo("true");
		assertThat(definition.driverProperties().getProperty("socketTimeout")).isEqualTo("25");
		assertThat(definition.driverProperties().getProperty("connectTimeout")).isEqualTo("5");
		assertThat(definition.driverProperties().getProperty("preparedStatementCacheQueries")).isEqualTo("100");
	}

	@Test
	void seedProductionUrlGivesTheSettingsItDescribes() {
		set("url", "postgresql://user:password@host:5432/database?connection_limit=10&pool_timeout=10"
				+ "&connect_timeout=5&sslmode=require");
		PoolDefinition definition = resolve();
		assertThat(definition.settings().connectionLimit()).isEqualTo(10);
		assertThat(definition.settings().poolTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(definition.settings().get(PoolSettingTable.CONNECT_TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
		assertThat(definition.driverProperties().getProperty("sslmode")).isEqualTo("require");
		assertThat(definition.jdbcUrl()).isEqualTo("jdbc:postgresql://host:5432/database");
		assertThat(definition.username()).isEqualTo("user");
	}

	@Test
	void seedOptimizedUrlGivesTheSettingsItDescribes() {
		set("url", "postgresql://user:pass@host:5432/db?connection_limit=10&pool_timeout=10"
				+ "&connect_timeout=30&idle_in_transaction_session_timeout=60&statement_timeout=30&schema=public"
				+ "&pgbouncer=true&sslmode=prefer");
		PoolDefinition definition = resolve();
		DbPoolSettings settings = definition.settings();
		assertThat(settings.get(PoolSettingTable.CONNECT_TIMEOUT)).isEqualTo(Duration.ofSeconds(30));
		assertThat(settings.queryTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(settings.get(PoolSettingTable.IDLE_IN_TRANSACTION_TIMEOUT)).isEqualTo(Duration.ofSeconds(60));
		assertThat(settings.get(PoolSettingTable.PGBOUNCER)).isEqualTo(true);
		assertThat(definition.driverProperties().getProperty("currentSchema")).isEqualTo("public");
		assertThat(definition.driverProperties().getProperty("prepareThreshold")).isEqualTo("0");
		assertThat(definition.driverProperties().getProperty("sslmode")).isEqualTo("prefer");
	}

	@Test
	void seedPgbouncerUrlTurnsOffPreparedStatements() {
		set("url", "postgresql://user:password@localhost:6543/khaacho?connection_limit=10&pgbouncer=true");
		assertThat(resolve().driverProperties().getProperty("prepareThreshold")).isEqualTo("0");
	}

	@Test
	void urlParametersDoNotStayInTheJdbcUrlSoPropertiesCanWin() {
		set("url", URL + "?sslmode=require");
		setExplicitly("ssl-mode");
		set("ssl-mode", "verify-full");
		PoolDefinition definition = resolve();
		assertThat(definition.jdbcUrl()).doesNotContain("sslmode");
		assertThat(definition.driverProperties().getProperty("sslmode")).isEqualTo("verify-full");
	}

	@Test
	void pgbouncerTurnsOffServerPreparedStatementsAndStartupOptions() {
		set("url", URL + "?pgbouncer=true");
		PoolDefinition definition = resolve();
		assertThat(definition.driverProperties().getProperty("prepareThreshold")).isEqualTo("0");
		assertThat(definition.driverProperties().getProperty("options")).isNull();
	}

	@Test
	void schemaBecomesCurrentSchema() {
		set("url", URL + "?schema=sales");
		assertThat(resolve().driverProperties().getProperty("currentSchema")).isEqualTo("sales");
	}

	@Test
	void dataSourcePropertiesPassThroughLast() {
		set("url", URL);
		this.dataSourceProperties.put("reWriteBatchedInserts", "true");
		assertThat(resolve().driverProperties().getProperty("reWriteBatchedInserts")).isEqualTo("true");
	}

	@Test
	void passwordNeverInToString() {
		set("url", URL);
		PoolDefinition definition = resolve();
		assertThat(definition.password()).isEqualTo("s3cret-pw");
		assertThat(definition.toString()).doesNotContain("s3cret-pw").contains("****");
		assertThat(definition.settings().toString()).doesNotContain("s3cret-pw");
	}

	@Test
	void propertyCredentialsOverrideUrlCredentials() {
		set("url", URL);
		set("username", "reporting");
		set("password", "other");
		PoolDefinition definition = resolve();
		assertThat(definition.username()).isEqualTo("reporting");
		assertThat(definition.password()).isEqualTo("other");
	}

	@Test
	void connectionDetailsOverrideTheUrlAddressButNotItsTuning() {
		set("url", URL + "?connection_limit=3");
		PoolDefinition definition = resolver(null)
			.resolve(ServerAddress.connectionDetails("jdbc:postgresql://container:32768/test", "test", "test", "test"));
		assertThat(definition.jdbcUrl()).isEqualTo("jdbc:postgresql://container:32768/test");
		assertThat(definition.username()).isEqualTo("test");
		assertThat(definition.settings().connectionLimit()).isEqualTo(3);
	}

	@Test
	void springDatasourceUrlIsUsedOnlyWithoutDatabaseUrl() {
		ServerAddress fallback = ServerAddress.springDatasource("jdbc:postgresql://other:5432/db", "u", "p");
		set("url", URL);
		assertThat(resolver(null).resolve(fallback).jdbcUrl()).contains("db.example.com");
		this.values.remove("url");
		assertThat(resolver(null).resolve(fallback).jdbcUrl()).isEqualTo("jdbc:postgresql://other:5432/db");
	}

	@Test
	void missingUrlFailsWithWhatToSet() {
		assertThatExceptionOfType(InvalidDbPoolSettingException.class).isThrownBy(this::resolve)
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("db.pool.url"))
			.satisfies((ex) -> assertThat(ex.getAction()).contains("DATABASE_URL"));
	}

	@Test
	void connectionLimitBelowOneFails() {
		set("url", URL + "?connection_limit=0");
		assertInvalid("db.pool.url parameter connection_limit", "0", "at least 1");
	}

	@Test
	void minIdleAboveLimitFails() {
		set("url", URL);
		setExplicitly("min-idle");
		set("min-idle", String.valueOf(11));
		assertInvalid("db.pool.min-idle", "11", "between 0 and connection-limit (10)");
	}

	@Test
	void zeroPoolTimeoutFails() {
		set("url", URL);
		setExplicitly("pool-timeout");
		set("pool-timeout", Duration.ZERO);
		assertInvalid("db.pool.pool-timeout", "0", "at least 1ms");
	}

	@Test
	void poolTimeoutBelowHikariFloorIsKept() {
		set("url", URL);
		setExplicitly("pool-timeout");
		set("pool-timeout", Duration.ofMillis(100));
		assertThat(resolve().settings().poolTimeout()).isEqualTo(Duration.ofMillis(100));
	}

	@Test
	void socketTimeoutNotAboveQueryTimeoutFails() {
		set("url", URL);
		setExplicitly("socket-timeout");
		set("socket-timeout", Duration.ofSeconds(30));
		assertInvalid("db.pool.socket-timeout", "30s", "above query-timeout (30s)");
	}

	@Test
	void leakDetectionBelowTwoSecondsFails() {
		set("url", URL);
		setExplicitly("leak-detection-threshold");
		set("leak-detection-threshold", Duration.ofSeconds(1));
		assertInvalid("db.pool.leak-detection-threshold", "1s", "0 (off) or at least 2s");
	}

	@Test
	void idleTimeoutOnFixedSizePoolFails() {
		set("url", URL + "?idle_timeout=30");
		assertInvalid("db.pool.url parameter idle_timeout", "30s", "min-idle below connection-limit");
	}

	@Test
	void idleTimeoutAppliesWhenThePoolCanShrink() {
		set("url", URL + "?idle_timeout=30");
		setExplicitly("min-idle");
		set("min-idle", String.valueOf(2));
		assertThat(resolve().settings().get(PoolSettingTable.IDLE_TIMEOUT)).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void keepaliveBelowThirtySecondsFails() {
		set("url", URL);
		setExplicitly("keepalive-time");
		set("keepalive-time", Duration.ofSeconds(10));
		assertInvalid("db.pool.keepalive-time", "10s", "0 (off) or at least 30s");
	}

	@Test
	void keepaliveAtMaxLifetimeFails() {
		set("url", URL);
		setExplicitly("keepalive-time");
		setExplicitly("max-lifetime");
		set("keepalive-time", Duration.ofMinutes(5));
		set("max-lifetime", Duration.ofMinutes(5));
		assertInvalid("db.pool.keepalive-time", "300s", "below max-lifetime (300s)");
	}

	@Test
	void negativeQueryTimeoutFails() {
		set("url", URL);
		setExplicitly("query-timeout");
		set("query-timeout", Duration.ofSeconds(-1));
		assertInvalid("db.pool.query-timeout", "-1s", "0 (no limit) or a positive duration");
	}

	@Test
	void fractionalConnectTimeoutFails() {
		set("url", URL);
		setExplicitly("connect-timeout");
		set("connect-timeout", Duration.ofMillis(1500));
		assertInvalid("db.pool.connect-timeout", "1500ms", "a whole number of seconds, at least 1s");
	}

	@Test
	void unknownSslModeFails() {
		set("url", URL);
		setExplicitly("ssl-mode");
		set("ssl-mode", "sometimes");
		assertInvalid("db.pool.ssl-mode", "sometimes", "one of disable, allow, prefer");
	}

	@Test
	void aliasValueFailureNamesTheVariable() {
		set("url", URL);
		set("connection-limit", String.valueOf(0));
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

	private void set(String property, String text) {
		this.values.put(property, text);
	}

	private void set(String property, Duration duration) {
		this.values.put(property, duration.toString());
	}

	/**
	 * A value set for a property is an explicit property, unless an alias is recorded for
	 * it and it was not set explicitly: then the alias set it.
	 */
	private PoolSettingsResolver resolver(String applicationName) {
		SettingValues settingValues = new SettingValues() {

			@Override
			public SettingValues.Text property(PoolSetting<?> setting) {
				String text = PoolSettingsResolverTests.this.values.get(setting.name());
				boolean fromAlias = PoolSettingsResolverTests.this.aliases.containsKey(setting.name())
						&& !PoolSettingsResolverTests.this.explicit.contains(setting.name());
				return (text != null && !fromAlias) ? new SettingValues.Text(text, setting.property()) : null;
			}

			@Override
			public SettingValues.Text alias(PoolSetting<?> setting) {
				String variable = PoolSettingsResolverTests.this.aliases.get(setting.name());
				String text = PoolSettingsResolverTests.this.values.get(setting.name());
				return (variable != null && text != null) ? new SettingValues.Text(text, variable) : null;
			}

		};
		return new PoolSettingsResolver(settingValues, this.dataSourceProperties, applicationName);
	}

	private PoolDefinition resolve() {
		return resolver(null).resolve(null);
	}

}
