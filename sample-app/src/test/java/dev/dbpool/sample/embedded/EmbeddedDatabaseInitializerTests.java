package dev.dbpool.sample.embedded;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedDatabaseInitializerTests {

	@Test
	void noDatabaseSettingMeansEmbedded() {
		assertThat(EmbeddedDatabaseInitializer.configuredDatabase(new MockEnvironment())).isNull();
	}

	@Test
	void blankSettingDoesNotCount() {
		assertThat(
				EmbeddedDatabaseInitializer.configuredDatabase(new MockEnvironment().withProperty("db.pool.url", " ")))
			.isNull();
	}

	@Test
	void eachDatabaseSettingIsRecognised() {
		assertThat(EmbeddedDatabaseInitializer
			.configuredDatabase(new MockEnvironment().withProperty("DATABASE_URL", "postgresql://db/app")))
			.isEqualTo("DATABASE_URL");
		assertThat(EmbeddedDatabaseInitializer
			.configuredDatabase(new MockEnvironment().withProperty("db.pool.url", "postgresql://db/app")))
			.isEqualTo("db.pool.url");
		assertThat(EmbeddedDatabaseInitializer.configuredDatabase(
				new MockEnvironment().withProperty("spring.datasource.url", "jdbc:postgresql://db/app")))
			.isEqualTo("spring.datasource.url");
	}

}
