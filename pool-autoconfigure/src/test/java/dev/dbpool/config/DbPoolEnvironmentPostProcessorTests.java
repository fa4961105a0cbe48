package dev.dbpool.config;


import dev.dbpool.common.InvalidDbPoolSettingException;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DbPoolEnvironmentPostProcessorTests {

	private final StandardEnvironment environment = new StandardEnvironment();

	@Test
	void databaseUrlMapsToUrl() {
		DbPoolProperties properties = bind(Map.of("DATABASE_URL", "postgresql://u:p@h/db"));
		assertThat(properties.getUrl()).isEqualTo("postgresql://u:p@h/db");
		assertThat(DbPoolEnvironmentPostProcessor.aliasFor(this.environment, "db.pool.url")).isEqualTo("DATABASE_URL");
	}

	@Test
	void poolSizeAliasesMapToConnectionLimit() {
		assertThat(bind(Map.of("DATABASE_POOL_SIZE", "12")).getConnectionLimit()).isEqualTo(12);
	}

	@Test
	void connectionLimitAliasMapsToConnectionLimit() {
		assertThat(bind(Map.of("DB_CONNECTION_LIMIT", "20")).getConnectionLimit()).isEqualTo(20);
	}

	@Test
	void poolTimeoutAliasIsInSeconds() {
		assertThat(bind(Map.of("DB_POOL_TIMEOUT", "20")).getPoolTimeout()).isEqualTo(Duration.ofSeconds(20));
	}

	@Test
	void statementCacheAliasMapsToStatementCacheSize() {
		assertThat(bind(Map.of("DB_STATEMENT_CACHE_SIZE", "250")).getStatementCacheSize()).isEqualTo(250);
	}

	@Test
	void queryTimeoutAliasIsInMilliseconds() {
		assertThat(bind(Map.of("DB_QUERY_TIMEOUT", "10000")).getQueryTimeout()).isEqualTo(Duration.ofSeconds(10));
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
		DbPoolProperties properties = bind(Map.of("DB_CONNECTION_LIMIT", "20", "db.pool.connection-limit", "5"));
		assertThat(properties.getConnectionLimit()).isEqualTo(5);
	}

	@Test
	void agreeingAliasesAreAccepted() {
		assertThat(bind(Map.of("DATABASE_POOL_SIZE", "8", "DB_CONNECTION_LIMIT", "8")).getConnectionLimit())
			.isEqualTo(8);
	}

	@Test
	void conflictingAliasesFail() {
		assertThatExceptionOfType(InvalidDbPoolSettingException.class)
			.isThrownBy(() -> bind(Map.of("DATABASE_POOL_SIZE", "8", "DB_CONNECTION_LIMIT", "20")))
			.satisfies(
					(ex) -> assertThat(ex.getMessage()).contains("DB_CONNECTION_LIMIT").contains("DATABASE_POOL_SIZE"));
	}

	@Test
	void nonNumericAliasFailsNamingTheVariable() {
		assertThatExceptionOfType(InvalidDbPoolSettingException.class)
			.isThrownBy(() -> bind(Map.of("DB_POOL_TIMEOUT", "10s")))
			.satisfies((ex) -> {
				assertThat(ex.getProperty()).isEqualTo("DB_POOL_TIMEOUT");
				assertThat(ex.getValue()).isEqualTo("10s");
				assertThat(ex.getExpected()).isEqualTo("a whole number of seconds");
			});
	}

	@Test
	void noAliasesAddNoPropertySource() {
		bind(Map.of("OTHER", "1"));
		assertThat(this.environment.getPropertySources().contains(DbPoolEnvironmentPostProcessor.PROPERTY_SOURCE_NAME))
			.isFalse();
	}

	private DbPoolProperties bind(Map<String, Object> variables) {
		this.environment.getPropertySources().addFirst(new MapPropertySource("test", variables));
		new DbPoolEnvironmentPostProcessor().postProcessEnvironment(this.environment, new SpringApplication());
		return Binder.get(this.environment).bindOrCreate("db.pool", DbPoolProperties.class);
	}

}
