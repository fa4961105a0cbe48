package dev.dbpool.config;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class DbPoolEnvironmentPostProcessorTests {

	private final StandardEnvironment environment = new StandardEnvironment();

	@Test
	void databaseUrlMapsToUrl() {
		map(Map.of("DATABASE_URL", "postgresql://u:p@h/db"));
		assertThat(alias(PoolSettingTable.URL))
			.isEqualTo(new SettingValues.Text("postgresql://u:p@h/db", "DATABASE_URL"));
		assertThat(DbPoolEnvironmentPostProcessor.aliasFor(this.environment, "db.pool.url")).isEqualTo("DATABASE_URL");
	}

	@Test
	void poolSizeAliasesMapToConnectionLimit() {
		map(Map.of("DATABASE_POOL_SIZE", "12"));
		assertThat(alias(PoolSettingTable.CONNECTION_LIMIT))
			.isEqualTo(new SettingValues.Text("12", "DATABASE_POOL_SIZE"));
	}

	@Test
	void connectionLimitAliasMapsToConnectionLimit() {
		map(Map.of("DB_CONNECTION_LIMIT", "20"));
		assertThat(alias(PoolSettingTable.CONNECTION_LIMIT).text()).isEqualTo("20");
	}

	@Test
	void poolTimeoutAliasIsInSeconds() {
		map(Map.of("DB_POOL_TIMEOUT", "20"));
		assertThat(alias(PoolSettingTable.POOL_TIMEOUT).text()).isEqualTo("20s");
	}

	@Test
	void statementCacheAliasMapsToStatementCacheSize() {
		map(Map.of("DB_STATEMENT_CACHE_SIZE", "250"));
		assertThat(alias(PoolSettingTable.STATEMENT_CACHE_SIZE).text()).isEqualTo("250");
	}

	@Test
	void queryTimeoutAliasIsInMilliseconds() {
		map(Map.of("DB_QUERY_TIMEOUT", "10000"));
		assertThat(alias(PoolSettingTable.QUERY_TIMEOUT).text()).isEqualTo("10000ms");
	}

	@Test
	void slowQueryAliasesAreInMilliseconds() {
		assertThat(bind(Map.of("DB_SLOW_QUERY_THRESHOLD", "1000")).getSlowQuery().getThreshold())
			.isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void shortSlowQueryAliasIsInMilliseconds() {
		assertThat(bind(Map.of("SLOW_QUERY_THRESHOLD", "500")).getSlowQuery().getThreshold())
			.isEqualTo(Duration.ofMillis(500));
	}

	@Test
	void replicaUrlAliasMapsToReplicaUrl() {
		assertThat(bind(Map.of("DATABASE_REPLICA_URL", "postgresql://r/db")).getReplica().getUrl())
			.isEqualTo("postgresql://r/db");
	}

	@Test
	void explicitPropertyBeatsAlias() {
		map(Map.of("DB_CONNECTION_LIMIT", "20", "db.pool.connection-limit", "5"));
		EnvironmentSettingValues values = new EnvironmentSettingValues(this.environment);
		assertThat(values.property(PoolSettingTable.CONNECTION_LIMIT).text()).isEqualTo("5");
		assertThat(this.environment.getProperty("db.pool.connection-limit")).isEqualTo("5");
	}

	@Test
	void agreeingAliasesAreAccepted() {
		map(Map.of("DATABASE_POOL_SIZE", "8", "DB_CONNECTION_LIMIT", "8"));
		assertThat(alias(PoolSettingTable.CONNECTION_LIMIT).text()).isEqualTo("8");
		assertThat(DbPoolEnvironmentPostProcessor.problems(this.environment)).isEmpty();
	}

	@Test
	void conflictingAliasesFail() {
		map(Map.of("DATABASE_POOL_SIZE", "8", "DB_CONNECTION_LIMIT", "20"));
		assertThat(DbPoolEnvironmentPostProcessor.problems(this.environment)).singleElement()
			.satisfies((problem) -> assertThat(problem.toString()).contains("DB_CONNECTION_LIMIT")
				.contains("DATABASE_POOL_SIZE"));
		assertThat(DbPoolConfigurationCheck.problems(this.environment)).hasSize(1);
	}

	@Test
	void nonNumericAliasFailsNamingTheVariable() {
		map(Map.of("DB_POOL_TIMEOUT", "10s"));
		assertThat(DbPoolEnvironmentPostProcessor.problems(this.environment)).singleElement().satisfies((problem) -> {
			assertThat(problem.property()).isEqualTo("DB_POOL_TIMEOUT");
			assertThat(problem.value()).isEqualTo("10s");
			assertThat(problem.expected()).isEqualTo("a whole number of seconds");
		});
		assertThat(alias(PoolSettingTable.POOL_TIMEOUT)).isNull();
	}

	@Test
	void noAliasesAddNoPropertySource() {
		map(Map.of("OTHER", "1"));
		assertThat(this.environment.getPropertySources().contains(DbPoolEnvironmentPostProcessor.PROPERTY_SOURCE_NAME))
			.isFalse();
	}

	private DbPoolProperties bind(Map<String, Object> variables) {
		map(variables);
		return Binder.get(this.environment).bindOrCreate("db.pool", DbPoolProperties.class);
	}

	private void map(Map<String, Object> variables) {
		this.environment.getPropertySources().addFirst(new MapPropertySource("test", variables));
		new DbPoolEnvironmentPostProcessor().postProcessEnvironment(this.environment, new SpringApplication());
	}

	private SettingValues.Text alias(PoolSetting<?> setting) {
		return new EnvironmentSettingValues(this.environment).alias(setting);
	}

}
