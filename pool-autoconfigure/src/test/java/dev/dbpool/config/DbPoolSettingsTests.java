package dev.dbpool.config;

import java.time.Duration;
import java.util.Map;

import dev.dbpool.common.SecretPolicy;
import dev.dbpool.config.DbPoolSettings.Source;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class DbPoolSettingsTests {

	@Test
	void snapshotShowsDurationsInMillisecondsExceptPoolTimeoutInSeconds() {
		Map<String, Object> config = DbPoolSettings.builder()
			.put(PoolSettingTable.POOL_TIMEOUT, Duration.ofSeconds(20), Source.DEFAULT)
			.put(PoolSettingTable.QUERY_TIMEOUT, Duration.ofSeconds(10), Source.DEFAULT)
			.put(PoolSettingTable.SLOW_QUERY_THRESHOLD, Duration.ofMillis(250), Source.DEFAULT)
			.build()
			.snapshot();
		assertThat(config).containsEntry("poolTimeout", 20L)
			.containsEntry("queryTimeout", 10_000L)
			.containsEntry("slowQueryThreshold", 250L);
		assertThat(DbPoolSettings.builder()
			.put(PoolSettingTable.POOL_TIMEOUT, Duration.ofMillis(100), Source.DEFAULT)
			.build()
			.snapshot()).containsEntry("poolTimeout", 0.1);
	}

	@Test
	void snapshotMasksUrlPasswordsAndLeavesOutSecrets() {
		Map<String, Object> config = DbPoolSettings.builder()
			.put(PoolSettingTable.URL, "jdbc:postgresql://db/app?user=a&password=s3cret&ssl=true", Source.PROPERTY)
			.put(PoolSettingTable.PASSWORD, "s3cret", Source.PROPERTY)
			.build()
			.snapshot();
		assertThat(config).containsEntry("jdbcUrl", "jdbc:postgresql://db/app?user=a&password=****&ssl=true")
			.doesNotContainKey("password");
		assertThat(config.toString()).doesNotContain("s3cret");
		assertThat(SecretPolicy.maskUrlSecrets("postgresql://app:s3cret@db:5432/app?sslmode=require"))
			.isEqualTo("postgresql://app:****@db:5432/app?sslmode=require");
	}

	@Test
	void snapshotGivesEachValueItsSource() {
		Map<String, Object> config = DbPoolSettings.builder()
			.put(PoolSettingTable.CONNECTION_LIMIT, 7, Source.PROPERTY)
			.put(PoolSettingTable.URL, "jdbc:postgresql://db/app", Source.CONNECTION_DETAILS)
			.put(PoolSettingTable.USERNAME, "app", Source.SPRING_DATASOURCE)
			.build()
			.snapshot();
		assertThat(config.get("sources")).isEqualTo(Map.of("connectionLimit", "property", "jdbcUrl",
				"connection-details", "username", "spring.datasource"));
	}

	@Test
	void startupLineListsValuesWithSourcesAndNeverTheSecret() {
		DbPoolSettings settings = DbPoolSettings.builder()
			.put(PoolSettingTable.CONNECTION_LIMIT, 4, Source.URL)
			.put(PoolSettingTable.MAX_LIFETIME, Duration.ofMinutes(30), Source.DEFAULT)
			.put(PoolSettingTable.PASSWORD, "s3cret", Source.PROPERTY)
			.poolName("orders")
			.build();
		assertThat(settings.toString())
			.isEqualTo("DbPoolSettings[connectionLimit=4 (url), maxLifetime=1800s (default), poolName=orders]");
	}

	@Test
	void typedAccessThrowsForAMissingValue() {
		DbPoolSettings settings = DbPoolSettings.builder().build();
		assertThat(settings.find(PoolSettingTable.SCHEMA)).isNull();
		assertThatIllegalStateException().isThrownBy(settings::connectionLimit)
			.withMessageContaining("db.pool.connection-limit");
		assertThat(settings.poolName()).isEqualTo("dbpool");
	}

	@Test
	void secretLookingSettingNamesAreRecognised() {
		assertThat(SecretPolicy.isSecretName("password")).isTrue();
		assertThat(SecretPolicy.isSecretName("replicaPassword")).isTrue();
		assertThat(SecretPolicy.isSecretName("db.pool.password")).isTrue();
		assertThat(SecretPolicy.isSecretName("connectionLimit")).isFalse();
		assertThat(PoolSettingTable.PASSWORD.isSecret()).isTrue();
		assertThat(PoolSettingTable.CONNECTION_LIMIT.isSecret()).isFalse();
	}

}
