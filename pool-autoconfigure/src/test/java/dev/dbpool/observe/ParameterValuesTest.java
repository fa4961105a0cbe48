package dev.dbpool.observe;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ParameterValuesTest {

	@Test
	void parameterBoundToSecretLookingColumnIsMasked() {
		ParameterValues values = new ParameterValues();
		values.set(1, "alice");
		values.set(2, "hunter2");
		assertThat(values.render("SELECT * FROM users WHERE name = ? AND password_hash = ?", 100))
			.isEqualTo("[1='alice', 2=****]")
			.doesNotContain("hunter2");
	}

	@Test
	void insertColumnsAreMatchedToTheirPlaceholders() {
		ParameterValues values = new ParameterValues();
		values.set(1, "bob");
		values.set(2, "s3cr3t-token");
		values.set(3, 42);
		assertThat(values.render("INSERT INTO accounts (name, api_token, age) VALUES (?, ?, ?)", 100))
			.isEqualTo("[1='bob', 2=****, 3=42]");
	}

	@Test
	void namedParametersWithSecretNamesAreMasked() {
		ParameterValues values = new ParameterValues();
		values.set("user", "carol");
		values.set("secret", "xyz");
		assertThat(values.render("{call login(?, ?)}", 100)).isEqualTo("[user='carol', secret=****]");
	}

	@Test
	void longValuesAreCutAndNullsAndBytesAreDescribed() {
		ParameterValues values = new ParameterValues();
		values.set(1, "x".repeat(50));
		values.set(2, null);
		values.set(3, new byte[12]);
		assertThat(values.render("SELECT ?, ?, ?", 10)).isEqualTo("[1='xxxxxxxxxx...', 2=null, 3=<12 bytes>]");
	}

	@Test
	void clearForgetsValues() {
		ParameterValues values = new ParameterValues();
		values.set(1, 5);
		values.clear();
		assertThat(values.render("SELECT 1", 10)).isEqualTo("[]");
	}

}
