package dev.dbpool.sample.loadtest;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class LoadTestOptionsTests {

	@Test
	void noOptionsGiveTheSeedDefaults() {
		LoadTestOptions options = LoadTestOptions.parse();

		assertThat(options.concurrent()).isEqualTo(100);
		assertThat(options.duration()).isEqualTo(Duration.ofSeconds(60));
		assertThat(options.rampUp()).isEqualTo(Duration.ofSeconds(10));
		assertThat(options.queryType()).isEqualTo(QueryType.MIXED);
		assertThat(options.reportFile()).isNull();
		assertThat(options.springArguments()).isEmpty();
		assertThat(options.threads()).as("follows spring.threads.virtual.enabled").isNull();
	}

	@Test
	void platformThreadsCanBeChosen() {
		assertThat(LoadTestOptions.parse("--threads", "platform").threads()).isEqualTo(ClientThreads.PLATFORM);
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21")
	void virtualThreadsCanBeChosenFromJava21() {
		assertThat(LoadTestOptions.parse("--threads=VIRTUAL").threads()).isEqualTo(ClientThreads.VIRTUAL);
	}

	@Test
	@EnabledForJreRange(max = JRE.JAVA_20, disabledReason = "this JVM has virtual threads")
	void virtualThreadsAreRefusedBeforeJava21() {
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> LoadTestOptions.parse("--threads", "virtual"))
			.withMessage("Invalid value 'virtual' for --threads: expected platform: virtual threads need Java 21 "
					+ "or later, and this is Java " + Runtime.version().feature() + ".");
	}

	@Test
	void unknownThreadKindIsRefused() {
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> LoadTestOptions.parse("--threads", "fibers"))
			.withMessage("Invalid value 'fibers' for --threads: expected one of platform, virtual.");
	}

	@Test
	void seedCommandLineIsUnderstood() {
		LoadTestOptions options = LoadTestOptions.parse("--concurrent", "200", "--duration", "120", "--ramp-up=20",
				"--query-type", "COMPLEX", "--report-file", "out/report.json");

		assertThat(options.concurrent()).isEqualTo(200);
		assertThat(options.duration()).isEqualTo(Duration.ofSeconds(120));
		assertThat(options.rampUp()).isEqualTo(Duration.ofSeconds(20));
		assertThat(options.queryType()).isEqualTo(QueryType.COMPLEX);
		assertThat(options.reportFile()).isEqualTo(Path.of("out/report.json"));
	}

	@Test
	void durationsTakeUnits() {
		LoadTestOptions options = LoadTestOptions.parse("--duration", "2m", "--ramp-up", "1500ms", "--hold-time",
				"50ms");

		assertThat(options.duration()).isEqualTo(Duration.ofMinutes(2));
		assertThat(options.rampUp()).isEqualTo(Duration.ofMillis(1500));
		assertThat(options.holdTime()).isEqualTo(Duration.ofMillis(50));
	}

	@Test
	void poolOptionsBecomeStarterProperties() {
		LoadTestOptions options = LoadTestOptions.parse("--connection-limit", "20", "--pool-timeout", "2",
				"--db.pool.query-timeout=5s", "--spring.application.name", "bench");

		assertThat(options.springArguments()).containsExactly("--db.pool.connection-limit=20",
				"--db.pool.pool-timeout=2000ms", "--db.pool.query-timeout=5s", "--spring.application.name=bench");
	}

	@Test
	void poolTimeoutTakesUnits() {
		assertThat(LoadTestOptions.parse("--pool-timeout", "250ms").springArguments())
			.containsExactly("--db.pool.pool-timeout=250ms");
	}

	@Test
	void nonNumericConcurrencyNamesOptionValueAndRange() {
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> LoadTestOptions.parse("--concurrent", "lots"))
			.withMessage("Invalid value 'lots' for --concurrent: expected a whole number from 1 to 5000.");
	}

	@Test
	void zeroConcurrencyIsRejected() {
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> LoadTestOptions.parse("--concurrent=0"))
			.withMessageContaining("'0' for --concurrent");
	}

	@Test
	void unknownQueryTypeListsTheAllowedOnes() {
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> LoadTestOptions.parse("--query-type", "heavy"))
			.withMessage("Invalid value 'heavy' for --query-type: expected one of simple, complex, mixed.");
	}

	@Test
	void badDurationIsRejected() {
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> LoadTestOptions.parse("--duration", "soon"))
			.withMessageStartingWith("Invalid value 'soon' for --duration: expected a duration from 1s to 24h");
	}

	@Test
	void rampUpLongerThanTheTestIsRejected() {
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> LoadTestOptions.parse("--duration", "10", "--ramp-up", "20"))
			.withMessageStartingWith("Invalid value '20s' for --ramp-up: expected at most the test duration (10s)");
	}

	@Test
	void unknownOptionListsTheKnownOnes() {
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> LoadTestOptions.parse("--workers", "8"))
			.withMessageStartingWith("Unknown option '--workers': expected one of --concurrent, --duration");
	}

	@Test
	void missingValueIsReported() {
		assertThatExceptionOfType(InvalidOptionException.class).isThrownBy(() -> LoadTestOptions.parse("--concurrent"))
			.withMessage("Option --concurrent needs a value, for example --concurrent 100.");
	}

	@Test
	void bareArgumentIsRejected() {
		assertThatExceptionOfType(InvalidOptionException.class).isThrownBy(() -> LoadTestOptions.parse("fast"))
			.withMessageStartingWith("Unexpected argument 'fast'");
	}

}
