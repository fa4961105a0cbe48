package dev.dbpool.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.dbpool.testsupport.TestDatabase;

/**
 * Runs PostgreSQL's own pgbench, select-only with prepared statements, when it is
 * installed.
 */
final class PgBench {

	private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

	private final Path executable;

	private final TestDatabase database;

	private PgBench(Path executable, TestDatabase database) {
		this.executable = executable;
		this.database = database;
	}

	/** pgbench on the PATH or in Debian's usual places, if any. */
	static java.util.Optional<PgBench> find(TestDatabase database) {
		List<Path> candidates = new ArrayList<>();
		for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
			candidates.add(Path.of(dir, "pgbench"));
		}
		try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
			versions.forEach((version) -> candidates.add(version.resolve("bin/pgbench")));
		}
		catch (IOException ex) {
			// Not a Debian layout; the PATH is all there is.
		}
		return candidates.stream().filter(Files::isExecutable).findFirst().map((path) -> new PgBench(path, database));
	}

	/** Create pgbench's tables (scale 10: one million accounts). */
	void initialize() throws IOException, InterruptedException {
		run(List.of("-i", "-q", "-s", "10"), 300);
	}

	/**
	 * Select-only transactions per second with {@code clients} clients for
	 * {@code seconds}.
	 */
	OptionalDouble selectOnly(int clients, int seconds) throws IOException, InterruptedException {
		String output = run(List.of("-S", "-M", "prepared", "-n", "-c", Integer.toString(clients), "-j",
				Integer.toString(Math.min(clients, Runtime.getRuntime().availableProcessors())), "-T",
				Integer.toString(seconds)), seconds + 60);
		Matcher matcher = TPS.matcher(output);
		return matcher.find() ? OptionalDouble.of(Double.parseDouble(matcher.group(1))) : OptionalDouble.empty();
	}

	private String run(List<String> arguments, int timeoutSeconds) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(this.executable.toString());
		command.addAll(List.of("-h", this.database.host(), "-p", Integer.toString(this.database.port()), "-U",
				this.database.username()));
		command.addAll(arguments);
		command.add(this.database.database());
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("PGPASSWORD", this.database.password());
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS) || process.exitValue() != 0) {
			process.destroyForcibly();
			throw new IOException("pgbench " + arguments + " failed: " + output);
		}
		return output;
	}

	@Override
	public String toString() {
		return this.executable.toString();
	}

}
