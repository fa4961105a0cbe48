package dev.dbpool.url;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Adversarial URLs: passwords written without percent-encoding, so that an {@code &},
 * {@code =}, {@code #}, {@code /}, {@code @} or {@code %} in them turns their tail into
 * parameters, hosts or escapes. No error text may contain any piece of the userinfo,
 * anything after {@code password=}, or an unknown parameter name when the URL has a
 * password. Every piece of every password here carries a marker ({@code Adv},
 * {@code S3cr3t}, {@code Zq9x}) that no message has any other reason to contain.
 */
class UrlCredentialFragmentsTest {

	/** Passwords as a careless user writes them, unencoded. */
	private static final List<String> PASSWORDS = List.of("Adv&S3cr3t", "Adv&S3cr3t=Zq9x", "Adv=S3cr3t", "Adv#S3cr3t",
			"Adv?S3cr3t", "Adv/S3cr3t", "Adv@S3cr3t", "Adv%S3cr3t", "Adv%zzS3cr3t", "Adv&&S3cr3t",
			"Adv&connection_limit=S3cr3t", "Adv&sslmode=S3cr3t", "Adv&ssl=S3cr3t", "Adv&port=S3cr3t",
			"Adv&requiressl=S3cr3t", "Adv&S3cr3t%00Zq9x", "Adv&pool_timeout=S3cr3tZq9x&", "Adv&%S3cr3t=1");

	/** Where the password goes: {pw} is replaced by it. */
	private static final List<String> TEMPLATES = List.of("postgresql://host/db?user=app&password={pw}",
			"postgresql://host/db?password={pw}&sslmode=require", "postgresql://app:{pw}@host/db",
			"postgresql://app:{pw}@host:5432/db?sslmode=require", "jdbc:postgresql://host/db?user=app&password={pw}",
			"postgres://host:5432/db?sslpassword={pw}&application_name=x");

	private static final List<String> MARKERS = List.of("Adv", "S3cr3t", "Zq9x");

	static Stream<Arguments> adversarialUrls() {
		List<Arguments> urls = new ArrayList<>();
		for (String template : TEMPLATES) {
			for (String password : PASSWORDS) {
				urls.add(Arguments.of(template.replace("{pw}", password)));
			}
		}
		// Unknown names next to a password, before and after it.
		urls.add(Arguments.of("postgresql://app:Adv@host/db?S3cr3tName=1"));
		urls.add(Arguments.of("postgresql://host/db?S3cr3tName=1&password=Adv"));
		urls.add(Arguments.of("jdbc:postgresql://host/db?S3cr3tName=1&password=Adv"));
		urls.add(Arguments.of("jdbc:postgresql://host/db?password=Adv&S3cr3tName"));
		urls.add(Arguments.of("postgresql://app:Adv@host/db?S3cr3tName"));
		urls.add(Arguments.of("postgresql://app:Adv/S3cr3t@host:port/db"));
		urls.add(Arguments.of("postgresql://app:Adv:S3cr3t@[::1/db"));
		urls.add(Arguments.of("postgresql://host/db?password=Adv&host=/tmp/S3cr3t"));
		return urls.stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("adversarialUrls")
	void noErrorTextHoldsAPieceOfACredential(String url) {
		assertThat(adversarialUrls().count()).isGreaterThanOrEqualTo(50);
		List<String> texts = new ArrayList<>();
		InvalidDatabaseUrlException parseError = catchThrowableOfType(InvalidDatabaseUrlException.class,
				() -> DatabaseUrl.parse(url));
		if (parseError != null) {
			texts.add(parseError.getMessage());
		}
		else {
			DatabaseUrl parsed = DatabaseUrl.parse(url);
			InvalidDatabaseUrlException conversionError = catchThrowableOfType(InvalidDatabaseUrlException.class,
					parsed::toJdbcUrl);
			if (conversionError != null) {
				texts.add(conversionError.getMessage());
			}
		}
		for (String text : texts) {
			for (String marker : MARKERS) {
				assertThat(text).as(url).doesNotContain(marker);
			}
		}
	}

	@Test
	void theIssuesUrlFailsWithoutEchoingTheTailOfThePassword() {
		assertThatExceptionOfType(InvalidDatabaseUrlException.class)
			.isThrownBy(() -> DatabaseUrl.parse("postgresql://host:5432/db?user=app&password=Adv&S3cr3t"))
			.withMessageContaining("at position 49")
			.withMessageContaining("after the password")
			.withMessageContaining("%26")
			.withMessageNotContaining("S3cr3t");
	}

	@Test
	void unknownParameterNameIsShownWithItsSuggestionWhenThereIsNoPassword() {
		assertThatExceptionOfType(InvalidDatabaseUrlException.class)
			.isThrownBy(() -> DatabaseUrl.parse("postgresql://app@host/db?conection_limit=5"))
			.withMessageContaining("\"conection_limit\"")
			.withMessageContaining("did you mean \"connection_limit\"");
	}

	@Test
	void unknownParameterNameIsHiddenWhenThereIsAPassword() {
		assertThatExceptionOfType(InvalidDatabaseUrlException.class)
			.isThrownBy(() -> DatabaseUrl.parse("postgresql://app:pw@host/db?conection_limit=5"))
			.withMessageContaining("name not shown")
			.withMessageNotContaining("conection");
	}

	@Test
	void controlCharactersInAnEchoedValueAreEscaped() {
		assertThatExceptionOfType(InvalidDatabaseUrlException.class)
			.isThrownBy(() -> DatabaseUrl.parse("postgresql://host:54\n32/db"))
			.withMessageContaining("\\u000a")
			.withMessageNotContaining("\n");
	}

}
