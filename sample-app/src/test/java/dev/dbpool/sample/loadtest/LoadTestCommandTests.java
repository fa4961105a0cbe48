package dev.dbpool.sample.loadtest;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.dbpool.sample.SampleApplication;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code loadtest} command end to end: the application started without a web server,
 * the starter's pool, a real PostgreSQL (a private database on the shared test server),
 * the report printed and written.
 */
class LoadTestCommandTests {

	private static final TestDatabase database = TestDatabase.shared().newDatabase("loadtest");

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	private final LoadTestCommand command = new LoadTestCommand(SampleApplication.class,
			new PrintStream(this.out, true, StandardCharsets.UTF_8),
			new PrintStream(this.err, true, StandardCharsets.UTF_8));

	@TempDir
	Path directory;

	@Test
	void shortRunPassesWritesJsonAndLeavesNoConnectionBorrowed() throws Exception {
		Path reportFile = this.directory.resolve("reports/r.json");

		int exitCode = this.command.run(withDatabase("--concurrent", "20", "--duration", "3", "--ramp-up", "1",
				"--query-type", "mixed", "--report-file", reportFile.toString()));

		assertThat(exitCode).as(output()).isEqualTo(LoadTestCommand.EXIT_PASS);
		assertThat(stdout()).contains("users 20/20")
			.contains("Load Test Results")
			.contains("Connection Acquisition:")
			.contains("Query Execution:")
			.contains("Status: PASS");
		JsonNode report = JsonMapper.builder().build().readTree(reportFile.toFile());
		assertThat(report.get("configuration").get("concurrent").asInt()).isEqualTo(20);
		assertThat(report.get("configuration").get("queryType").asString()).isEqualTo("mixed");
		assertThat(report.get("performance").get("successful").asLong()).isPositive();
		assertThat(report.get("performance").get("totalQueries").asLong())
			.isEqualTo(report.get("performance").get("successful").asLong()
					+ report.get("performance").get("failed").asLong());
		assertThat(report.get("connectionAcquisition").get("count").asLong())
			.isEqualTo(report.get("performance").get("totalQueries").asLong());
		assertThat(report.get("queryExecution").get("p95Ms").asDouble()).isPositive();
		assertThat(report.get("concurrency").get("final").asInt()).isZero();
		assertThat(report.get("concurrency").get("peak").asInt()).isBetween(1, 20);
		assertThat(report.get("assessment").get("status").asString()).isEqualTo("PASS");
	}

	@Test
	void poolTooSmallForTheLoadFailsWithPoolTimeouts() throws Exception {
		Path reportFile = this.directory.resolve("impossible.json");

		int exitCode = this.command.run(withDatabase("--concurrent", "200", "--duration", "3", "--ramp-up", "0",
				"--query-type", "simple", "--connection-limit", "1", "--pool-timeout", "100ms", "--hold-time", "50ms",
				"--report-file", reportFile.toString()));

		assertThat(exitCode).as(output()).isEqualTo(LoadTestCommand.EXIT_FAIL);
		assertThat(stdout()).contains("Status: FAIL").contains("Failed Criteria:");
		JsonNode report = JsonMapper.builder().build().readTree(reportFile.toFile());
		assertThat(report.get("configuration").get("connectionLimit").asInt()).isEqualTo(1);
		assertThat(report.get("configuration").get("poolTimeoutMs").asLong()).isEqualTo(100);
		assertThat(report.get("errors").get("poolTimeouts").asLong()).isPositive();
		assertThat(report.get("errors").get("examples").get("poolTimeouts").asString())
			.contains("Connection is not available");
		assertThat(report.get("assessment").get("failedCriteria").valueStream().map(JsonNode::asString))
			.contains("no pool timeouts", "success rate > 99%");
		assertThat(report.get("concurrency").get("final").asInt()).isZero();
	}

	@Test
	void invalidOptionExitsWith2BeforeStartingAnything() {
		int exitCode = this.command.run("--query-type", "heavy");

		assertThat(exitCode).isEqualTo(LoadTestCommand.EXIT_INVALID_OPTIONS);
		assertThat(stderr())
			.contains("Invalid value 'heavy' for --query-type: expected one of simple, complex, mixed.");
		assertThat(stdout()).isEmpty();
	}

	@Test
	void poolSettingTheStarterRejectsExitsWith2() {
		int exitCode = this.command.run(withDatabase("--duration", "1", "--ramp-up", "0", "--db.pool.max-lifetime=5s"));

		assertThat(exitCode).as(output()).isEqualTo(LoadTestCommand.EXIT_INVALID_OPTIONS);
		assertThat(stderr()).contains("Invalid pool setting").contains("max-lifetime");
	}

	@Test
	void helpPrintsUsage() {
		assertThat(this.command.run("--help")).isZero();
		assertThat(stdout()).contains("--concurrent N").contains("--query-type T");
	}

	private static String[] withDatabase(String... options) {
		List<String> args = new ArrayList<>(List.of(options));
		args.add("--db.pool.url=" + database.jdbcUrl());
		args.add("--db.pool.username=" + database.username());
		args.add("--db.pool.password=" + database.password());
		return args.toArray(String[]::new);
	}

	private String stdout() {
		return this.out.toString(StandardCharsets.UTF_8);
	}

	private String stderr() {
		return this.err.toString(StandardCharsets.UTF_8);
	}

	private String output() {
		return stdout() + "\n" + stderr();
	}

}
