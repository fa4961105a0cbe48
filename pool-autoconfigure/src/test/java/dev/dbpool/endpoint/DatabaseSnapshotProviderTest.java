package dev.dbpool.endpoint;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseSnapshotProviderTest {

	@Test
	void durationsAreMillisecondsExceptPoolTimeoutInSeconds() {
		assertThat(DatabaseSnapshotProvider.render("poolTimeout", Duration.ofSeconds(20))).isEqualTo(20L);
		assertThat(DatabaseSnapshotProvider.render("poolTimeout", Duration.ofMillis(100))).isEqualTo(0.1);
		assertThat(DatabaseSnapshotProvider.render("queryTimeout", Duration.ofSeconds(10))).isEqualTo(10_000L);
		assertThat(DatabaseSnapshotProvider.render("slowQueryThreshold", Duration.ofMillis(250))).isEqualTo(250L);
	}

	@Test
	void passwordsInUrlsAndMapsAreMasked() {
		assertThat(DatabaseSnapshotProvider.render("url", "postgresql://app:s3cret@db:5432/app?sslmode=require"))
			.isEqualTo("postgresql://app:****@db:5432/app?sslmode=require");
		assertThat(
				DatabaseSnapshotProvider.render("jdbcUrl", "jdbc:postgresql://db/app?user=a&password=s3cret&ssl=true"))
			.isEqualTo("jdbc:postgresql://db/app?user=a&password=****&ssl=true");
		assertThat(DatabaseSnapshotProvider.render("dataSourceProperties", Map.of("password", "s3cret", "ssl", "true")))
			.isEqualTo(Map.of("password", "****", "ssl", "true"));
	}

	@Test
	void secretLookingSettingNamesAreRecognised() {
		assertThat(DatabaseSnapshotProvider.isSecret("password")).isTrue();
		assertThat(DatabaseSnapshotProvider.isSecret("replicaPassword")).isTrue();
		assertThat(DatabaseSnapshotProvider.isSecret("connectionLimit")).isFalse();
	}

}
