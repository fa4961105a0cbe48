package dev.dbpool.url;

import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postgresql.Driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

class DatabaseUrlTest {

	@Nested
	class LibpqGrammar {

		@Test
		void parsesUserPasswordHostPortAndDatabase() {
			DatabaseUrl url = DatabaseUrl.parse("postgresql://alice:s3cret@db.example.com:6543/orders");
			assertThat(url.username()).isEqualTo("alice");
			assertThat(url.password()).isEqualTo("s3cret");
			assertThat(url.hosts()).containsExactly(new HostAndPort("db.example.com", 6543));
			assertThat(url.database()).isEqualTo("orders");
			assertThat(url.isJdbc()).isFalse();
		}

		@Test
		void acceptsTheShortSchemeAndIgnoresSurroundingWhiteSpace() {
			DatabaseUrl url = DatabaseUrl.parse("  postgres://alice@host/db\n");
			assertThat(url.username()).isEqualTo("alice");
			assertThat(url.toString()).startsWith("postgres://");
		}

		@Test
		void emptyPartsFallBackToLocalhostPort5432AndTheUserDatabase() {
			assertThat(DatabaseUrl.parse("postgres:///db").hosts()).containsExactly(new HostAndPort("localhost", 5432));
			DatabaseUrl portOnly = DatabaseUrl.parse("postgres://:5433/");
			assertThat(portOnly.hosts()).containsExactly(new HostAndPort("localhost", 5433));
			assertThat(portOnly.database()).isEqualTo("postgres");
			assertThat(DatabaseUrl.parse("postgres://alice@").database()).isEqualTo("alice");
			DatabaseUrl empty = DatabaseUrl.parse("postgres://");
			assertThat(empty.hosts()).containsExactly(new HostAndPort("localhost", 5432));
			assertThat(empty.username()).isNull();
			assertThat(empty.password()).isNull();
			assertThat(empty.database()).isEqualTo("postgres");
			assertThat(empty.parameters()).isEmpty();
		}

		@Test
		void emptyUserAndPasswordCountAsAbsent() {
			assertThat(DatabaseUrl.parse("postgresql://alice:@host/db").password()).isNull();
			assertThat(DatabaseUrl.parse("postgresql://:pw@host/db").username()).isNull();
			assertThat(DatabaseUrl.parse("postgresql://host/db?user=").username()).isNull();
		}

		@Test
		void severalHostsTakeTheirOwnPortsOrTheDefault() {
			assertThat(DatabaseUrl.parse("postgresql://h1:5432,h2:5433/db").hosts())
				.containsExactly(new HostAndPort("h1", 5432), new HostAndPort("h2", 5433));
			assertThat(DatabaseUrl.parse("postgresql://h1,h2:5433/db").hosts())
				.containsExactly(new HostAndPort("h1", 5432), new HostAndPort("h2", 5433));
		}

		@Test
		void onePortInTheQueryAppliesToEveryHost() {
			assertThat(DatabaseUrl.parse("postgresql:///db?host=h1,h2&port=6000").hosts())
				.containsExactly(new HostAndPort("h1", 6000), new HostAndPort("h2", 6000));
		}

		@Test
		void bracketedIpv6HostsWithAndWithoutPort() {
			assertThat(DatabaseUrl.parse("postgresql://[::1]/db").hosts())
				.containsExactly(new HostAndPort("::1", 5432));
			DatabaseUrl url = DatabaseUrl.parse("postgresql://[2001:db8::1]:5433,[::1]/db");
			assertThat(url.hosts()).containsExactly(new HostAndPort("2001:db8::1", 5433), new HostAndPort("::1", 5432));
			assertThat(url.toJdbcUrl()).isEqualTo("jdbc:postgresql://[2001:db8::1]:5433,[::1]:5432/db");
		}

		@Test
		void percentEscapesAreDecodedInEveryPart() {
			DatabaseUrl url = DatabaseUrl
				.parse("postgresql://al%69ce:p%40ss%2Fw%3Ard@h%6Fst:54%332/my%20db?%61pplication_name=caf%C3%A9+bar");
			assertThat(url.username()).isEqualTo("alice");
			assertThat(url.password()).isEqualTo("p@ss/w:rd");
			assertThat(url.hosts()).containsExactly(new HostAndPort("host", 5432));
			assertThat(url.database()).isEqualTo("my db");
			// libpq does not read '+' as a space
			assertThat(url.parameters()).containsExactly(entry("application_name", "caf\u00e9+bar"));
		}

		@Test
		void queryKeywordsOverrideTheUriPartsAndTheLastValueWins() {
			DatabaseUrl url = DatabaseUrl.parse(
					"postgresql://bob:pw@host:5432/db?user=alice&password=other&dbname=sales&host=h9&port=6000&sslmode=allow&sslmode=require");
			assertThat(url.username()).isEqualTo("alice");
			assertThat(url.password()).isEqualTo("other");
			assertThat(url.database()).isEqualTo("sales");
			assertThat(url.hosts()).containsExactly(new HostAndPort("h9", 6000));
			assertThat(url.parameters()).containsExactly(entry("sslmode", "require"));
		}

		@Test
		void trailingAmpersandIsAllowedAsInLibpq() {
			assertThat(DatabaseUrl.parse("postgresql://host/db?sslmode=require&").parameters())
				.containsExactly(entry("sslmode", "require"));
		}

		@Test
		void sslTrueMeansSslmodeRequireAsInLibpq() {
			assertThat(DatabaseUrl.parse("postgresql://host/db?ssl=true").parameters())
				.containsExactly(entry("sslmode", "require"));
		}

		@Test
		void parametersKeepUrlOrderAndLeaveOutAddressAndCredentials() {
			DatabaseUrl url = DatabaseUrl.parse(
					"postgresql://host/db?pool_timeout=5&user=u&sslmode=require&hostaddr=10.0.0.1&reWriteBatchedInserts=true&connection_limit=3");
			assertThat(url.parameters()).containsExactly(entry("pool_timeout", "5"), entry("sslmode", "require"),
					entry("reWriteBatchedInserts", "true"), entry("connection_limit", "3"));
			assertThat(url.parameter("user")).isNull();
			assertThat(url.hostaddr()).isEqualTo("10.0.0.1");
		}

	}

	@Nested
	class Rejections {

		@Test
		void nulByteEscapeIsForbidden() {
			assertRejected("postgresql://host/d%00b", "forbidden %00", "the database name", "position 20");
		}

		@Test
		void badPercentEscapeIsNamedWithItsPosition() {
			assertRejected("postgresql://host/d%zzb", "invalid percent-escape \"%zz\"", "database name", "position 20");
			assertRejected("postgresql://host/db%4", "invalid percent-escape \"%4\"", "position 21");
			assertRejected("postgresql://ho%g1st/db", "\"%g1\"", "the host", "position 16");
			assertRejected("postgresql://host/db?application_name=%zz", "\"%zz\"",
					"the value of query parameter application_name");
		}

		@Test
		void escapesThatAreNotUtf8AreRejected() {
			assertRejected("postgresql://host/%FF", "do not form valid UTF-8", "database name");
		}

		@Test
		void unterminatedAndEmptyIpv6HostsAreRejected() {
			assertRejected("postgresql://[::1/db", "'[' at position 14", "never closed");
			assertRejected("postgresql://[]/db", "empty IPv6 host");
			assertRejected("postgresql://[::1]x/db", "unexpected character 'x' at position 19");
		}

		@Test
		void parameterWithoutValueOrWithTwoEqualsSignsIsRejected() {
			assertRejected("postgresql://host/db?sslmode", "\"sslmode\"", "has no '='", "position 22");
			assertRejected("postgresql://host/db?&sslmode=require", "query parameter 1", "has no '='");
			assertRejected("postgresql://host/db?sslmode=a=b", "\"sslmode\"", "second '=' at position 31", "%3D");
		}

		@Test
		void unknownParameterIsRejectedWithTheClosestKnownName() {
			assertRejected("postgresql://host/db?connection_limt=5", "unknown query parameter \"connection_limt\"",
					"position 22", "did you mean \"connection_limit\"?");
			assertRejected("postgresql://host/db?connectionLimit=5", "did you mean \"connection_limit\"?");
			assertRejected("postgresql://host/db?applicationName=x", "did you mean \"ApplicationName\"?");
			assertRejected("postgresql://host/db?sslmdoe=require", "did you mean \"sslmode\"?");
			assertRejected("postgresql://host/db?rewriteBatchedInserts=true",
					"did you mean \"reWriteBatchedInserts\"?");
			assertRejected("postgresql://host/db?PGHOST=h", "did you mean \"host\"?");
		}

		@Test
		void sslOtherThanTrueIsRejectedAsInLibpq() {
			assertRejected("postgresql://host/db?ssl=false", "ssl=false", "sslmode=disable");
			assertRejected("postgresql://host/db?requiressl=1", "removed in libpq 16", "sslmode=require");
		}

		@Test
		void nonNumericOrOutOfRangePortIsRejected() {
			assertRejected("postgresql://u:pw@host:port/db", "port \"port\" of host \"host\" at position 24",
					"between 1 and 65535");
			assertRejected("postgresql://host:0/db", "port \"0\"");
			assertRejected("postgresql://host:65536/db", "port \"65536\"");
			assertRejected("postgresql://host/db?port=abc", "in query parameter port");
		}

		@Test
		void portAndHostaddrCountsMustMatchTheHosts() {
			assertRejected("postgresql:///db?host=h1,h2,h3&port=5433,5434", "could not match 2 ports to 3 hosts");
			assertRejected("postgresql:///db?host=h1,h2&hostaddr=10.0.0.1",
					"could not match 2 host names to 1 hostaddr");
		}

		@Test
		void unencodedAtSignInPasswordIsRejectedWithTheFix() {
			assertRejected("postgresql://user:p@ss@host/db", "unencoded '@' in the host", "%40");
			assertRejected("postgresql://us/er:pw@host/db", "unencoded '@' in the database name", "%2F");
		}

		@Test
		void knownValuesAreCheckedAtParseTime() {
			assertRejected("postgresql://host/db?sslmode=bogus", "sslmode=\"bogus\"", "verify-full");
			assertRejected("postgresql://host/db?target_session_attrs=whatever", "target_session_attrs=\"whatever\"",
					"prefer-standby");
			assertRejected("postgresql://host/db?keepalives=yes", "keepalives=\"yes\"");
			assertRejected("postgresql://host/db?connection_limit=ten", "connection_limit=\"ten\"", "whole number");
			assertRejected("postgresql://host/db?pool_timeout=5m", "pool_timeout=\"5m\"", "2min");
			assertRejected("postgresql://host/db?pgbouncer=maybe", "pgbouncer=\"maybe\"", "true or false");
			assertRejected("postgresql://host/db?sslaccept=sometimes", "accept_invalid_certs");
		}

		@Test
		void otherSchemesAndEmptyInputAreRejected() {
			assertRejected("", "the URL is empty");
			assertRejected("mysql://host/db", "the scheme \"mysql\" is not supported");
			assertRejected("POSTGRESQL://host/db", "lower case");
			assertRejected("host=localhost dbname=app", "key=value strings are not supported");
			assertRejected("\"postgresql://host/db\"", "wrapped in quotes");
		}

		private void assertRejected(String url, String... messageParts) {
			assertThatExceptionOfType(InvalidDatabaseUrlException.class).isThrownBy(() -> DatabaseUrl.parse(url))
				.withMessageStartingWith("Invalid database URL: ")
				.withMessageContainingAll(messageParts);
		}

	}

	@Nested
	class UnixSockets {

		@Test
		void socketDirectoryParsesButCannotBecomeAJdbcUrl() {
			DatabaseUrl url = DatabaseUrl.parse("postgresql://%2Fvar%2Frun%2Fpostgresql:5433/app");
			assertThat(url.hasUnixSocketHost()).isTrue();
			assertThat(url.hosts()).containsExactly(new HostAndPort("/var/run/postgresql", 5433));
			assertThat(url.hosts().get(0).isUnixSocket()).isTrue();
			assertThatExceptionOfType(InvalidDatabaseUrlException.class).isThrownBy(url::toJdbcUrl)
				.withMessageContainingAll("\"/var/run/postgresql\"", "unix-socket", "pgjdbc connects over TCP only",
						"postgresql://localhost:5432/app");
		}

		@Test
		void socketDirectoryMayComeFromTheHostParameter() {
			DatabaseUrl url = DatabaseUrl.parse("postgresql:///app?host=/tmp");
			assertThat(url.hasUnixSocketHost()).isTrue();
			assertThatExceptionOfType(InvalidDatabaseUrlException.class).isThrownBy(url::toJdbcUrlWithoutParameters);
		}

	}

	@Nested
	class Hostaddr {

		@Test
		void hostaddrWithoutHostIsTheAddressToConnectTo() {
			DatabaseUrl url = DatabaseUrl.parse("postgresql:///app?hostaddr=10.0.0.5&port=5433");
			assertThat(url.hosts()).containsExactly(new HostAndPort("10.0.0.5", 5433));
			assertThat(url.toJdbcUrl()).isEqualTo("jdbc:postgresql://10.0.0.5:5433/app");
		}

		@Test
		void hostaddrNextToAHostNameCannotBeHonouredByPgjdbc() {
			DatabaseUrl url = DatabaseUrl.parse("postgresql://db.example.com/app?hostaddr=10.0.0.5");
			assertThat(url.hosts()).containsExactly(new HostAndPort("db.example.com", 5432));
			assertThatExceptionOfType(InvalidDatabaseUrlException.class).isThrownBy(url::toJdbcUrl)
				.withMessageContainingAll("hostaddr=10.0.0.5", "pgjdbc has no hostaddr");
		}

	}

	@Nested
	class JdbcUrlFromLibpqUri {

		@Test
		void carriesHostsDatabaseAndTranslatedParametersButNoCredentialsOrPoolParameters() {
			DatabaseUrl url = DatabaseUrl.parse("postgresql://alice:s3cret@h1:5432,h2:5433/sales"
					+ "?sslmode=require&application_name=my%20app&connection_limit=5&reWriteBatchedInserts=true"
					+ "&options=-c%20search_path%3Dapp&pool_timeout=3");
			assertThat(url.toJdbcUrl()).isEqualTo("jdbc:postgresql://h1:5432,h2:5433/sales?sslmode=require"
					+ "&ApplicationName=my%20app&options=-c%20search_path%3Dapp&reWriteBatchedInserts=true");
			assertThat(url.toJdbcUrlWithoutParameters()).isEqualTo("jdbc:postgresql://h1:5432,h2:5433/sales");
		}

		@Test
		void pgjdbcReadsBackTheSameValues() {
			DatabaseUrl url = DatabaseUrl
				.parse("postgresql://host:6000/caf%C3%A9%20%2B%20b?application_name=a%2Bb%20c&options=-c%20x%3D1%26y");
			Properties parsed = Driver.parseURL(url.toJdbcUrl(), new Properties());
			assertThat(parsed).isNotNull();
			assertThat(parsed.getProperty("PGHOST")).isEqualTo("host");
			assertThat(parsed.getProperty("PGPORT")).isEqualTo("6000");
			assertThat(parsed.getProperty("PGDBNAME")).isEqualTo("caf\u00e9 + b");
			assertThat(parsed.getProperty("ApplicationName")).isEqualTo("a+b c");
			assertThat(parsed.getProperty("options")).isEqualTo("-c x=1&y");
		}

		@Test
		void databaseDefaultsToTheUserName() {
			assertThat(DatabaseUrl.parse("postgresql://alice@host").toJdbcUrl())
				.isEqualTo("jdbc:postgresql://host:5432/alice");
		}

	}

	@Nested
	class DriverProperties {

		@ParameterizedTest
		@CsvSource({ "read-write, primary", "primary, primary", "read-only, secondary", "standby, secondary",
				"prefer-standby, preferSecondary", "any, any" })
		void targetSessionAttrsBecomesTargetServerType(String libpq, String pgjdbc) {
			assertThat(driverProperties("target_session_attrs=" + libpq))
				.containsExactly(entry("targetServerType", pgjdbc));
		}

		@ParameterizedTest
		@CsvSource({ "sslmode=verify-full, sslmode, verify-full", "sslcert=%2Fc.pem, sslcert, /c.pem",
				"sslkey=%2Fk.pk8, sslkey, /k.pk8", "sslrootcert=%2Fca.pem, sslrootcert, /ca.pem",
				"sslpassword=kp, sslpassword, kp", "application_name=svc, ApplicationName, svc",
				"fallback_application_name=svc, ApplicationName, svc", "options=-c%20a%3D1, options, -c a=1",
				"keepalives=1, tcpKeepAlive, true", "keepalives=0, tcpKeepAlive, false",
				"channel_binding=require, channelBinding, require", "gssencmode=disable, gssEncMode, disable",
				"krbsrvname=pg, kerberosServerName, pg", "gsslib=gssapi, gsslib, gssapi",
				"require_auth=scram-sha-256, requireAuth, scram-sha-256",
				"sslnegotiation=direct, sslNegotiation, direct", "load_balance_hosts=random, loadBalanceHosts, true",
				"replication=database, replication, database", "replication=on, replication, true" })
		void libpqKeywordsBecomeTheirPgjdbcProperties(String parameter, String property, String value) {
			assertThat(driverProperties(parameter)).containsExactly(entry(property, value));
		}

		@Test
		void applicationNameBeatsFallbackApplicationName() {
			assertThat(driverProperties("fallback_application_name=b&application_name=a"))
				.containsExactly(entry("ApplicationName", "a"));
		}

		@Test
		void explicitPgjdbcPropertyWinsOverTranslatedKeyword() {
			assertThat(driverProperties("ApplicationName=pgjdbc&application_name=libpq&prepareThreshold=0"))
				.containsOnly(entry("ApplicationName", "pgjdbc"), entry("prepareThreshold", "0"));
		}

		@Test
		void neverContainCredentialsOrPoolParameters() {
			DatabaseUrl url = DatabaseUrl.parse("postgresql://u:pw@host/db?password=pw2&connection_limit=3"
					+ "&pool_timeout=1&statement_timeout=30&pgbouncer=true&schema=app&connect_timeout=5");
			assertThat(url.driverProperties()).isEmpty();
			assertThat(url.toJdbcUrl()).isEqualTo("jdbc:postgresql://host:5432/db");
		}

		@Test
		void keywordsWithoutPgjdbcEquivalentAreReportedNotDropped() {
			DatabaseUrl url = DatabaseUrl.parse("postgresql://host/db?keepalives_idle=30&sslcrl=%2Fcrl.pem"
					+ "&client_encoding=UTF8&tcp_user_timeout=100&sslmode=require");
			assertThat(url.untranslatedParameters()).containsExactly("keepalives_idle", "sslcrl", "tcp_user_timeout");
			assertThat(url.driverProperties()).containsOnly(entry("sslmode", "require"));
			assertThat(url.parameters()).containsKeys("keepalives_idle", "sslcrl", "client_encoding");
		}

		@Test
		void eachCallGivesANewPropertiesObject() {
			DatabaseUrl url = DatabaseUrl.parse("postgresql://host/db?sslmode=require");
			url.driverProperties().clear();
			assertThat(url.driverProperties()).containsEntry("sslmode", "require");
		}

		private Properties driverProperties(String query) {
			return DatabaseUrl.parse("postgresql://host/db?" + query).driverProperties();
		}

	}

	@Nested
	class PoolParameters {

		@Test
		void everyPoolParameterNameIsListedOnce() {
			assertThat(DatabaseUrl.POOL_PARAMETERS).containsExactly("connection_limit", "pool_timeout",
					"connect_timeout", "socket_timeout", "statement_cache_size", "pgbouncer", "schema", "sslaccept",
					"max_connection_lifetime", "max_idle_connection_lifetime", "statement_timeout",
					"idle_in_transaction_session_timeout", "idle_timeout");
		}

		@ParameterizedTest
		@CsvSource({ "30, PT30S", "0, PT0S", "500ms, PT0.5S", "30s, PT30S", "2min, PT2M", "1h, PT1H", "1d, PT24H",
				"15 s, PT15S", "2MIN, PT2M" })
		void bareNumbersAreSecondsAndUnitsAreAccepted(String value, Duration expected) {
			DatabaseUrl url = DatabaseUrl.parse("postgresql://host/db?statement_timeout=" + value.replace(" ", "%20"));
			assertThat(url.durationParameter("statement_timeout")).isEqualTo(expected);
			assertThat(url.durationParameter(PoolParameter.STATEMENT_TIMEOUT)).isEqualTo(expected);
		}

		@Test
		void absentParametersAreNull() {
			DatabaseUrl url = DatabaseUrl.parse("postgresql://host/db");
			assertThat(url.durationParameter(PoolParameter.POOL_TIMEOUT)).isNull();
			assertThat(url.intParameter(PoolParameter.CONNECTION_LIMIT)).isNull();
			assertThat(url.booleanParameter(PoolParameter.PGBOUNCER)).isNull();
			assertThat(url.parameter("schema")).isNull();
		}

		@Test
		void integersAndBooleansAreParsed() {
			DatabaseUrl url = DatabaseUrl
				.parse("postgresql://host/db?connection_limit=25&statement_cache_size=0&pgbouncer=1&sslaccept=strict");
			assertThat(url.intParameter(PoolParameter.CONNECTION_LIMIT)).isEqualTo(25);
			assertThat(url.intParameter("statement_cache_size")).isZero();
			assertThat(url.booleanParameter(PoolParameter.PGBOUNCER)).isTrue();
			assertThat(url.parameter("sslaccept")).isEqualTo("strict");
		}

		@Test
		void helpersNameTheParameterAndTheValueOnBadInput() {
			DatabaseUrl url = DatabaseUrl.parse("postgresql://host/db?application_name=fast&sslmode=require");
			assertThatExceptionOfType(InvalidDatabaseUrlException.class)
				.isThrownBy(() -> url.durationParameter("application_name"))
				.withMessageContainingAll("application_name=\"fast\"", "whole number of seconds");
			assertThatExceptionOfType(InvalidDatabaseUrlException.class).isThrownBy(() -> url.intParameter("sslmode"))
				.withMessageContainingAll("sslmode=\"require\"", "whole number");
			assertThatExceptionOfType(InvalidDatabaseUrlException.class)
				.isThrownBy(() -> url.booleanParameter("sslmode"))
				.withMessageContainingAll("sslmode=\"require\"", "true or false");
		}

		@Test
		void hugeNumbersAreRejectedNotWrapped() {
			assertThatExceptionOfType(InvalidDatabaseUrlException.class)
				.isThrownBy(() -> DatabaseUrl.parse("postgresql://host/db?connection_limit=99999999999"))
				.withMessageContaining("connection_limit=\"99999999999\"");
			assertThatExceptionOfType(InvalidDatabaseUrlException.class)
				.isThrownBy(() -> DatabaseUrl.parse("postgresql://host/db?pool_timeout=99999999999999999999"));
		}

	}

	@Nested
	class JdbcInput {

		@Test
		void keepsTheUrlButTakesOutCredentialsAndPoolParameters() {
			DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://h1:5432,[::1]:5433/sales?user=alice&password=s3cret"
					+ "&sslmode=require&connection_limit=5&ApplicationName=my%20app&pool_timeout=2");
			assertThat(url.isJdbc()).isTrue();
			assertThat(url.username()).isEqualTo("alice");
			assertThat(url.password()).isEqualTo("s3cret");
			assertThat(url.hosts()).containsExactly(new HostAndPort("h1", 5432), new HostAndPort("::1", 5433));
			assertThat(url.database()).isEqualTo("sales");
			assertThat(url.toJdbcUrl())
				.isEqualTo("jdbc:postgresql://h1:5432,[::1]:5433/sales?sslmode=require&ApplicationName=my%20app");
			assertThat(url.toJdbcUrlWithoutParameters()).isEqualTo("jdbc:postgresql://h1:5432,[::1]:5433/sales");
			assertThat(url.parameters()).containsExactly(entry("sslmode", "require"), entry("connection_limit", "5"),
					entry("ApplicationName", "my app"), entry("pool_timeout", "2"));
			assertThat(url.driverProperties()).containsOnly(entry("sslmode", "require"),
					entry("ApplicationName", "my app"));
			assertThat(url.durationParameter(PoolParameter.POOL_TIMEOUT)).isEqualTo(Duration.ofSeconds(2));
			assertThat(url.toString()).contains("password=****").doesNotContain("s3cret");
		}

		@Test
		void urlWithoutParametersComesBackUnchanged() {
			String jdbc = "jdbc:postgresql://db.example.com:6543/app";
			assertThat(DatabaseUrl.parse(jdbc).toJdbcUrl()).isEqualTo(jdbc);
		}

		@Test
		void shortFormsUseLocalhostAndTheDefaultPort() {
			DatabaseUrl named = DatabaseUrl.parse("jdbc:postgresql:app");
			assertThat(named.hosts()).containsExactly(new HostAndPort("localhost", 5432));
			assertThat(named.database()).isEqualTo("app");
			DatabaseUrl noDatabase = DatabaseUrl.parse("jdbc:postgresql://host/?user=bob");
			assertThat(noDatabase.database()).isEqualTo("bob");
			assertThat(DatabaseUrl.parse("jdbc:postgresql://:5433/db").hosts())
				.containsExactly(new HostAndPort("localhost", 5433));
		}

		@Test
		void valuelessParameterIsKeptAsPgjdbcReadsIt() {
			DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://host/db?ssl&sslmode=require");
			assertThat(url.toJdbcUrl()).isEqualTo("jdbc:postgresql://host/db?ssl&sslmode=require");
			assertThat(url.parameter("ssl")).isEmpty();
		}

		@Test
		void malformedJdbcUrlsAreRejected() {
			assertRejected("jdbc:postgresql://u:pw@host/db", "cannot carry user:password@");
			assertRejected("jdbc:postgresql://host", "needs a '/' after the hosts");
			assertRejected("jdbc:postgresql://host/a/b", "exactly one '/'");
			assertRejected("jdbc:postgresql://host:abc/db", "port \"abc\"");
			assertRejected("jdbc:postgresql://[::1/db", "never closed");
			assertRejected("jdbc:postgresql://::1/db", "in brackets");
			assertRejected("jdbc:postgresql://host/d%zz", "invalid percent-escape", "database name");
			assertRejected("jdbc:postgresql://host/db?reWriteBatchedInsert=true",
					"did you mean \"reWriteBatchedInserts\"?");
			assertRejected("jdbc:postgresql://host/db?application_name=x", "did you mean \"ApplicationName\"?");
			assertRejected("jdbc:postgresql://host/db?PGHOST=other", "PGHOST is not supported");
			assertRejected("jdbc:postgresql://host/db?connection_limit=x", "connection_limit=\"x\"");
		}

		private void assertRejected(String url, String... messageParts) {
			assertThatExceptionOfType(InvalidDatabaseUrlException.class).isThrownBy(() -> DatabaseUrl.parse(url))
				.withMessageContainingAll(messageParts);
		}

	}

	@Nested
	class Display {

		@Test
		void toStringMasksPasswordAndSslpassword() {
			DatabaseUrl url = DatabaseUrl
				.parse("postgresql://alice:s3cret@host:5433/db?sslpassword=k3ypass&sslmode=require&connection_limit=5");
			assertThat(url.toString())
				.isEqualTo("postgresql://alice:****@host:5433/db?sslpassword=****&sslmode=require&connection_limit=5");
		}

		@Test
		void toStringShowsDefaultsAndPasswordFromTheQueryMasked() {
			assertThat(DatabaseUrl.parse("postgres://?password=s3cret").toString())
				.isEqualTo("postgres://:****@localhost:5432/");
		}

	}

}
