package dev.dbpool.url;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every {@code postgresql://} URL in the user seed documents (copied here so the test
 * does not depend on them) parses, and carries the pool settings the seeds describe.
 */
class DatabaseUrlSeedTest {

	static final List<String> SEED_URLS = List.of(
			"postgresql://user:password@host:5432/database?connection_limit=10&pool_timeout=10&connect_timeout=5",
			"postgresql://user:password@host:5432/database?connection_limit=10&pool_timeout=10&connect_timeout=5&sslmode=require",
			"postgresql://user:password@pooler-host:6543/database?connection_limit=10&pool_timeout=10&connect_timeout=5&pgbouncer=true",
			"postgresql://user:password@localhost:5432/khaacho_dev?connection_limit=20",
			"postgresql://user:password@internal-host:5432/database?connection_limit=10&pool_timeout=10&connect_timeout=5&sslmode=require",
			"postgresql://user:password@localhost:6543/khaacho?connection_limit=10&pgbouncer=true",
			"postgresql://user:password@primary:5432/khaacho?connection_limit=10",
			"postgresql://user:password@replica:5432/khaacho?connection_limit=20",
			"postgresql://user:password@host:5432/database?connection_limit=10",
			"postgresql://user:password@replica:5432/database",
			"postgresql://user:password@localhost:5432/mydb?connection_limit=20&pool_timeout=30",
			"postgresql://user:pass@host:5432/dbname",
			"postgresql://user:pass@host:5432/db?connection_limit=20&pool_timeout=10",
			"postgresql://user:pass@host:5432/db?connection_limit=20&pool_timeout=10&connect_timeout=5",
			"postgresql://user:pass@host:5432/postgres", "postgresql://user:pass@localhost:6432/easymo");

	/**
	 * Seed 000 writes {@code host:port} literally; the second one spans several lines
	 * there.
	 */
	static final List<String> SEED_URLS_WITH_PORT_PLACEHOLDER = List.of(
			"postgresql://user:pass@host:port/db?connection_limit=10&pool_timeout=10&connect_timeout=30",
			"postgresql://user:pass@host:port/db?connection_limit=10&pool_timeout=10&connect_timeout=30"
					+ "&idle_in_transaction_session_timeout=60&statement_timeout=30&schema=public&pgbouncer=true&sslmode=prefer");

	@ParameterizedTest
	@FieldSource("SEED_URLS")
	void everySeedUrlParsesAndBecomesAJdbcUrl(String seedUrl) {
		DatabaseUrl url = DatabaseUrl.parse(seedUrl);
		assertThat(url.username()).isEqualTo("user");
		assertThat(url.password()).isIn("password", "pass");
		assertThat(url.toJdbcUrl()).startsWith("jdbc:postgresql://").doesNotContain("pass");
	}

	@ParameterizedTest
	@FieldSource("SEED_URLS_WITH_PORT_PLACEHOLDER")
	void seedUrlWithLiteralPortPlaceholderFailsNamingThePort(String seedUrl) {
		assertThatExceptionOfType(InvalidDatabaseUrlException.class).isThrownBy(() -> DatabaseUrl.parse(seedUrl))
			.withMessageContaining("port \"port\" of host \"host\"")
			.withMessageContaining("not a number between 1 and 65535")
			.withMessageContaining("for example 5432");
	}

	@Test
	void productionSeedUrlCarriesLimitAndTimeoutsInSeconds() {
		DatabaseUrl url = DatabaseUrl.parse(SEED_URLS.get(1));
		assertThat(url.intParameter(PoolParameter.CONNECTION_LIMIT)).isEqualTo(10);
		assertThat(url.durationParameter(PoolParameter.POOL_TIMEOUT)).isEqualTo(Duration.ofSeconds(10));
		assertThat(url.durationParameter(PoolParameter.CONNECT_TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
		assertThat(url.driverProperties()).containsEntry("sslmode", "require");
		assertThat(url.toJdbcUrl()).isEqualTo("jdbc:postgresql://host:5432/database?sslmode=require");
	}

	@Test
	void pgbouncerSeedUrlSwitchesPgbouncerModeOn() {
		DatabaseUrl url = DatabaseUrl.parse(SEED_URLS.get(2));
		assertThat(url.hosts()).containsExactly(new HostAndPort("pooler-host", 6543));
		assertThat(url.booleanParameter(PoolParameter.PGBOUNCER)).isTrue();
	}

	@Test
	void developmentSeedUrlAsksForTwentyConnections() {
		assertThat(DatabaseUrl.parse(SEED_URLS.get(3)).intParameter(PoolParameter.CONNECTION_LIMIT)).isEqualTo(20);
		DatabaseUrl prismaSeed = DatabaseUrl.parse(SEED_URLS.get(10));
		assertThat(prismaSeed.intParameter(PoolParameter.CONNECTION_LIMIT)).isEqualTo(20);
		assertThat(prismaSeed.durationParameter(PoolParameter.POOL_TIMEOUT)).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void optimizedSeedUrlWithARealPortCarriesServerTimeoutsInSeconds() {
		DatabaseUrl url = DatabaseUrl.parse(SEED_URLS_WITH_PORT_PLACEHOLDER.get(1).replace("host:port", "host:5432"));
		assertThat(url.intParameter(PoolParameter.CONNECTION_LIMIT)).isEqualTo(10);
		assertThat(url.durationParameter(PoolParameter.POOL_TIMEOUT)).isEqualTo(Duration.ofSeconds(10));
		assertThat(url.durationParameter(PoolParameter.CONNECT_TIMEOUT)).isEqualTo(Duration.ofSeconds(30));
		assertThat(url.durationParameter(PoolParameter.IDLE_IN_TRANSACTION_SESSION_TIMEOUT))
			.isEqualTo(Duration.ofSeconds(60));
		assertThat(url.durationParameter(PoolParameter.STATEMENT_TIMEOUT)).isEqualTo(Duration.ofSeconds(30));
		assertThat(url.parameter(PoolParameter.SCHEMA.parameterName())).isEqualTo("public");
		assertThat(url.booleanParameter(PoolParameter.PGBOUNCER)).isTrue();
		assertThat(url.driverProperties()).containsOnly(org.assertj.core.api.Assertions.entry("sslmode", "prefer"));
	}

	@Test
	void pgbouncerSeedOnPort6432KeepsItsDatabase() {
		DatabaseUrl url = DatabaseUrl.parse(SEED_URLS.get(15));
		assertThat(url.hosts()).containsExactly(new HostAndPort("localhost", 6432));
		assertThat(url.database()).isEqualTo("easymo");
		assertThat(url.parameters()).isEmpty();
	}

}
