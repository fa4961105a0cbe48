package dev.dbpool.url;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * No password reaches an exception message or {@code toString()}, whatever is wrong with
 * the URL and wherever a malformed URL puts the password.
 */
class DatabaseUrlPasswordSecrecyTest {

	/** Passwords as written in a URL, and as decoded. */
	private static final String[][] PASSWORDS = { { "Hunter2Secret", "Hunter2Secret" },
			{ "Tr0ub4dor:3x", "Tr0ub4dor:3x" }, { "s%2Fcr%40tPw", "s/cr@tPw" }, { "caf%C3%A9Pw9", "caf\u00e9Pw9" } };

	/** URLs that fail to parse; {pw} is replaced by each password. */
	private static final List<String> INVALID = List.of("postgresql://user:{pw}@host:port/db",
			"postgresql://user:{pw}@host:99999/db", "postgresql://user:{pw}@host/d%zzb",
			"postgresql://user:{pw}@host/db%4", "postgresql://user:{pw}@host/d%00b",
			"postgresql://user:{pw}@host/db?foo=bar", "postgresql://user:{pw}@[::1/db", "postgresql://user:{pw}@[]/db",
			"postgresql://user:{pw}@[::1]x/db", "postgresql://user:{pw}@host/db?sslmode",
			"postgresql://user:{pw}@host/db?sslmode=a=b", "postgresql://user:{pw}@host/db?connection_limit=x",
			"postgresql://user:{pw}@host/db?sslmode=bogus", "postgresql://user:{pw}%zz@host/db",
			"postgresql://user:{pw}%00@host/db", "postgresql://user:{pw}%FF@host/db",
			"postgresql://user:{pw}/x@host:5432/db", "postgresql://user:{pw}/x@host/db",
			"postgresql://user:{pw}/db?application_name=me@host", "postgresql://user:x/{pw}@host:5432/db",
			"postgresql://user:{pw}@x@host/db", "postgresql://user:{pw}@/db?host=h1,h2,h3&port=1,2",
			"postgresql://host/db?password={pw}&foo=1", "postgresql://host/db?password={pw}%zz",
			"postgresql://host/db?password={pw}=x", "postgresql://host/db?sslpassword={pw}%zz",
			"postgresql://host/db?sslpassword={pw}&sslmode=bogus", "postgres://user:{pw}@host/db?ssl=no",
			"jdbc:postgresql://host/db?password={pw}&foo=1", "jdbc:postgresql://user:{pw}@host/db",
			"jdbc:postgresql://host/db?password={pw}%zz", "jdbc:postgresql://host/db?password={pw}&connection_limit=x",
			"mysql://user:{pw}@host/db", "POSTGRESQL://user:{pw}@host/db");

	/** URLs that parse but cannot become pgjdbc URLs. */
	private static final List<String> UNUSABLE_BY_PGJDBC = List.of("postgresql://user:{pw}@/db?host=/tmp",
			"postgresql://user:{pw}@host/db?hostaddr=10.0.0.1", "postgresql://user:{pw}@%2Fvar%2Frun/db");

	/** URLs that parse; their display and pgjdbc form must not show the password. */
	private static final List<String> VALID = List.of("postgresql://user:{pw}@host:5432/db?sslmode=require",
			"postgresql://host/db?password={pw}", "postgresql://host/db?sslpassword={pw}&application_name=x",
			"postgres://:{pw}@host", "jdbc:postgresql://host/db?user=u&password={pw}&sslmode=require",
			"jdbc:postgresql://host/db?sslpassword={pw}&connection_limit=3");

	static Stream<Arguments> invalidUrls() {
		return combine(INVALID);
	}

	static Stream<Arguments> urlsUnusableByPgjdbc() {
		return combine(UNUSABLE_BY_PGJDBC);
	}

	static Stream<Arguments> validUrls() {
		return combine(VALID);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidUrls")
	void parseErrorsNeverContainThePassword(String url, String writtenPassword, String decodedPassword) {
		InvalidDatabaseUrlException ex = catchThrowableOfType(InvalidDatabaseUrlException.class,
				() -> DatabaseUrl.parse(url));
		assertThat(ex).as("rejected").isNotNull();
		assertSecret(ex.getMessage(), writtenPassword, decodedPassword);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("urlsUnusableByPgjdbc")
	void jdbcConversionErrorsNeverContainThePassword(String url, String writtenPassword, String decodedPassword) {
		DatabaseUrl parsed = DatabaseUrl.parse(url);
		for (Consumer<DatabaseUrl> conversion : List.<Consumer<DatabaseUrl>>of(DatabaseUrl::toJdbcUrl,
				DatabaseUrl::toJdbcUrlWithoutParameters)) {
			InvalidDatabaseUrlException ex = catchThrowableOfType(InvalidDatabaseUrlException.class,
					() -> conversion.accept(parsed));
			assertThat(ex).as("rejected").isNotNull();
			assertSecret(ex.getMessage(), writtenPassword, decodedPassword);
		}
		assertSecret(parsed.toString(), writtenPassword, decodedPassword);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("validUrls")
	void displayAndJdbcFormsNeverContainThePassword(String url, String writtenPassword, String decodedPassword) {
		DatabaseUrl parsed = DatabaseUrl.parse(url);
		assertThat(parsed.toString()).contains("****");
		assertSecret(parsed.toString(), writtenPassword, decodedPassword);
		if (!url.contains("sslpassword")) {
			assertSecret(parsed.toJdbcUrl(), writtenPassword, decodedPassword);
			assertThat(parsed.driverProperties().values()).doesNotContain(decodedPassword);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("validUrls")
	void parameterHelpersNeverShowASecretValue(String url, String writtenPassword, String decodedPassword) {
		DatabaseUrl parsed = DatabaseUrl.parse(url);
		for (String name : List.of("password", "sslpassword")) {
			if (parsed.parameter(name) != null) {
				assertSecret(catchThrowableOfType(InvalidDatabaseUrlException.class, () -> parsed.intParameter(name))
					.getMessage(), writtenPassword, decodedPassword);
				assertSecret(
						catchThrowableOfType(InvalidDatabaseUrlException.class, () -> parsed.durationParameter(name))
							.getMessage(),
						writtenPassword, decodedPassword);
			}
		}
	}

	private static void assertSecret(String text, String writtenPassword, String decodedPassword) {
		assertThat(text).doesNotContain(writtenPassword).doesNotContain(decodedPassword);
		// also no sizeable fragment, which a misparsed URL could leave in a "port" or
		// "host"
		String fragment = decodedPassword.substring(0, 6);
		assertThat(text).doesNotContain(fragment);
	}

	private static Stream<Arguments> combine(List<String> templates) {
		List<Arguments> arguments = new ArrayList<>();
		for (String template : templates) {
			for (String[] password : PASSWORDS) {
				arguments.add(Arguments.of(template.replace("{pw}", password[0]), password[0], password[1]));
			}
		}
		return arguments.stream();
	}

}
