package dev.dbpool.url;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Compares {@link DatabaseUrl} with what libpq 15's {@code PQconninfoParse} reported for
 * the same URIs. The table was generated once by {@code generate-libpq-uri-table.py} next
 * to it and is committed, so this test does not need libpq.
 */
class DatabaseUrlLibpqExactnessTest {

	@ParameterizedTest(name = "[{index}] {0}")
	@CsvFileSource(resources = "libpq-uri-table.csv", useHeadersInDisplayName = true, nullValues = "NULL")
	void parsesLikeLibpq(String uri, String libpq, @Nullable String user, @Nullable String password,
			@Nullable String dbname, @Nullable String host, @Nullable String port, @Nullable String hostaddr,
			@Nullable String sslmode, @Nullable String applicationName, @Nullable String options, String ours,
			String note) {
		boolean shouldAccept = ours.equals("accept") || (ours.equals("same") && libpq.equals("ok"));
		if (!shouldAccept) {
			assertThatExceptionOfType(InvalidDatabaseUrlException.class).as(note)
				.isThrownBy(() -> DatabaseUrl.parse(uri));
			return;
		}
		DatabaseUrl url = DatabaseUrl.parse(uri);
		if (ours.equals("accept")) {
			return;
		}
		assertThat(url.username()).as("user").isEqualTo(blankToNull(user));
		assertThat(url.password()).as("password").isEqualTo(blankToNull(password));
		String expectedDatabase = (blankToNull(dbname) != null) ? dbname
				: (blankToNull(user) != null) ? user : DatabaseUrl.DEFAULT_DATABASE;
		assertThat(url.database()).as("database").isEqualTo(expectedDatabase);
		assertThat(url.hostaddr()).as("hostaddr").isEqualTo(blankToNull(hostaddr));
		assertThat(url.hosts()).as("hosts").isEqualTo(expectedHosts(host, port, hostaddr));
		assertThat(url.parameter("sslmode")).as("sslmode").isEqualTo(sslmode);
		assertThat(url.parameter("application_name")).as("application_name").isEqualTo(applicationName);
		assertThat(url.parameter("options")).as("options").isEqualTo(options);
	}

	/**
	 * libpq's pairing of host, hostaddr and port lists (connectOptions2), with our TCP
	 * default host.
	 */
	private static List<HostAndPort> expectedHosts(@Nullable String host, @Nullable String port,
			@Nullable String hostaddr) {
		String[] names = (blankToNull(host) != null) ? host.split(",", -1) : null;
		String[] addresses = (blankToNull(hostaddr) != null) ? hostaddr.split(",", -1) : null;
		String[] ports = (blankToNull(port) != null) ? port.split(",", -1) : null;
		int count = (names != null) ? names.length : (addresses != null) ? addresses.length : 1;
		List<HostAndPort> hosts = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String name = (names != null) ? names[i] : "";
			String address = (addresses != null) ? addresses[i] : "";
			String portText = (ports == null) ? "" : ports[(ports.length == 1) ? 0 : i];
			hosts.add(new HostAndPort(!name.isEmpty() ? name : !address.isEmpty() ? address : "localhost",
					portText.isEmpty() ? 5432 : Integer.parseInt(portText)));
		}
		return hosts;
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isEmpty()) ? null : value;
	}

}
