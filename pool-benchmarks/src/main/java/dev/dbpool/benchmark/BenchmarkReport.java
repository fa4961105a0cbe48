package dev.dbpool.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Stream;

import dev.dbpool.benchmark.PoolBenchmark.Options;
import dev.dbpool.benchmark.PoolBenchmark.Results;
import dev.dbpool.benchmark.Variant.Operation;
import dev.dbpool.testsupport.TestDatabase;

/**
 * Writes the results between two markers in {@code docs/benchmarks.md}, keeping whatever
 * the file says around them, and the throughput plot beside it.
 */
final class BenchmarkReport {

	static final String START = "<!-- benchmark-results:start -->";

	static final String END = "<!-- benchmark-results:end -->";

	private static final String A = "(a) raw HikariCP";

	private static final String B = "(b) starter, all features";

	private static final String C = "(c) connect per request";

	private static final String D = "(d) dedicated connection";

	private final Results results;

	private final Options options;

	private final TestDatabase database;

	private final List<Integer> sweep;

	private final int poolSize;

	private final int threads;

	BenchmarkReport(Results results, Options options, TestDatabase database, List<Integer> sweep, int poolSize,
			int threads) {
		this.results = results;
		this.options = options;
		this.database = database;
		this.sweep = sweep;
		this.poolSize = poolSize;
		this.threads = threads;
	}

	void write() throws IOException {
		Path output = this.options.output;
		Path plot = output.resolveSibling("benchmark-throughput.svg");
		Files.writeString(plot, SvgPlot.render("PK select throughput vs client threads (pool of " + this.poolSize + ")",
				this.sweep, this.results.sweep, this.poolSize));
		String section = START + "\n" + body(plot.getFileName().toString()) + END + "\n";
		String existing = Files.exists(output) ? Files.readString(output) : "# Benchmarks\n\n";
		String updated;
		int start = existing.indexOf(START);
		int end = existing.indexOf(END);
		if (start >= 0 && end > start) {
			updated = existing.substring(0, start) + section
					+ existing.substring(end + END.length()).replaceFirst("^\n", "");
		}
		else {
			updated = existing.stripTrailing() + "\n\n" + section;
		}
		Files.writeString(output, updated);
	}

	private String body(String plotName) {
		StringBuilder md = new StringBuilder();
		md.append("## Latest results\n\n");
		md.append("Run on ")
			.append(LocalDate.now())
			.append(" in ")
			.append(this.results.elapsed.toSeconds())
			.append(" s: ")
			.append(this.options.rounds)
			.append(" interleaved rounds of ")
			.append(this.options.slice.toMillis())
			.append(" ms slices per variant and operation, ")
			.append(this.threads)
			.append(" client threads, pool size ")
			.append(this.poolSize)
			.append(".\n\n");
		md.append("Machine: ").append(machine()).append("\n\n");
		md.append("Features on in (b): ").append(String.join(", ", this.results.features)).append(".\n\n");
		md.append("### Throughput, ").append(this.threads).append(" threads (median of rounds)\n\n");
		md.append(
				"| Variant | PK select ops/s | vs (a) | insert tx/s | vs (a) | errors |\n|---|---:|---:|---:|---:|---:|\n");
		for (String label : List.of(A, B, C, D, PoolBenchmark.DATASOURCE_PROXY)) {
			md.append("| ").append(label);
			for (Operation operation : Operation.values()) {
				double median = Results.median(this.results.throughput(label, operation));
				md.append(String.format(Locale.ROOT, " | %,.0f | %.3f", median,
						this.results.medianRatio(label, A, operation)));
			}
			md.append(" | ").append(this.results.errors.getOrDefault(label, 0L)).append(" |\n");
		}
		md.append("\n### Cost per operation, one thread (median of rounds)\n\n");
		md.append("Thread CPU is the calling thread's CPU time per operation: what a query costs the application "
				+ "thread (pool, wrappers, retry advisor, driver). Process CPU adds every other JVM thread (pool "
				+ "housekeeping, the starter's samplers, the garbage collector). Added = variant minus (a) in the "
				+ "same round.\n\n");
		md.append("(b0) is the starter's DataSource bean called without the application bean and its retry "
				+ "advisor: observation, metrics and Boot's pool metrics only, so (b) − (b0) is the advisor's share.\n\n");
		md.append("| Operation | (a) thread CPU µs | (b) thread CPU µs | (b) added | (b0) added | (e) added "
				+ "| (b) added process CPU | (a) wall µs | (b) wall µs |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		for (Operation operation : Operation.values()) {
			md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %+.1f | %+.1f | %+.1f | %+.1f | %.1f | %.1f |%n",
					operation.description(), this.results.medianCpu(A, operation), this.results.medianCpu(B, operation),
					this.results.medianAddedCpu(B, A, operation),
					this.results.medianAddedCpu(PoolBenchmark.STARTER_WITHOUT_ADVISOR, A, operation),
					this.results.medianAddedCpu(PoolBenchmark.DATASOURCE_PROXY, A, operation),
					this.results.medianAddedProcessCpu(B, A, operation), this.results.medianWall(A, operation),
					this.results.medianWall(B, operation)));
		}
		md.append(String.format(Locale.ROOT,
				"%nThe retry advisor and its Spring proxy on their own (a call to a bean method that does no "
						+ "database work, against the same method on an unproxied instance): %.0f ns of calling-thread "
						+ "CPU per call.%n",
				this.results.advisorNanos));
		md.append("\n### pgbench -S -M prepared, ").append(this.threads).append(" clients\n\n");
		if (this.results.pgbenchBefore.isPresent()) {
			double pgbench = (this.results.pgbenchBefore.getAsDouble()
					+ this.results.pgbenchAfter.orElse(this.results.pgbenchBefore.getAsDouble())) / 2;
			md.append(String.format(Locale.ROOT, "Before: %,.0f tps; after: %s tps; mean %,.0f.%n%n",
					this.results.pgbenchBefore.getAsDouble(), format(this.results.pgbenchAfter), pgbench));
			md.append(String.format(Locale.ROOT, "(a)/pgbench = %.3f, (b)/pgbench = %.3f.%n%n",
					Results.median(this.results.throughput(A, Operation.SELECT)) / pgbench,
					Results.median(this.results.throughput(B, Operation.SELECT)) / pgbench));
		}
		else {
			md.append("pgbench was not installed for this run.\n\n");
		}
		md.append("### Against the targets\n\n");
		double selectRatio = this.results.medianRatio(B, A, Operation.SELECT);
		double added = this.results.medianAddedCpu(B, A, Operation.SELECT);
		double poolVsConnect = Results.median(this.results.throughput(A, Operation.SELECT))
				/ Results.median(this.results.throughput(C, Operation.SELECT));
		md.append("| Target | Measured | Met |\n|---|---:|---|\n");
		md.append(row("(b)/(a) throughput, 10 threads, ≥ 0.95", String.format(Locale.ROOT, "%.3f", selectRatio),
				selectRatio >= 0.95));
		md.append(row("added client (calling-thread) CPU per select, one thread, ≤ 3 µs",
				String.format(Locale.ROOT, "%+.1f µs", added), added <= 3));
		md.append(row("(a)/(c) pool vs connect-per-request, ≥ 20×", String.format(Locale.ROOT, "%.0f×", poolVsConnect),
				poolVsConnect >= 20));
		if (this.results.pgbenchBefore.isPresent()) {
			double pgbench = (this.results.pgbenchBefore.getAsDouble()
					+ this.results.pgbenchAfter.orElse(this.results.pgbenchBefore.getAsDouble())) / 2;
			double ratio = Results.median(this.results.throughput(B, Operation.SELECT)) / pgbench;
			md.append(row("(b)/pgbench select-only, ≥ 0.75", String.format(Locale.ROOT, "%.3f", ratio), ratio >= 0.75));
		}
		md.append("\n### Throughput against client threads\n\n");
		md.append("![throughput versus client threads](").append(plotName).append(")\n\n");
		md.append("| threads |");
		for (int threads : this.sweep) {
			md.append(' ').append(threads).append(" |");
		}
		md.append("\n|---|").append("---:|".repeat(this.sweep.size())).append('\n');
		for (Map.Entry<String, double[]> entry : this.results.sweep.entrySet()) {
			md.append("| ").append(entry.getKey()).append(" |");
			for (double value : entry.getValue()) {
				md.append(String.format(Locale.ROOT, " %,.0f |", value));
			}
			md.append('\n');
		}
		md.append('\n');
		return md.toString();
	}

	private static String row(String target, String measured, boolean met) {
		return "| " + target + " | " + measured + " | " + (met ? "yes" : "**no**") + " |\n";
	}

	private static String format(OptionalDouble value) {
		return value.isPresent() ? String.format(Locale.ROOT, "%,.0f", value.getAsDouble()) : "n/a";
	}

	private String machine() {
		String cpu = "unknown CPU";
		try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
			cpu = lines.filter((line) -> line.startsWith("model name"))
				.findFirst()
				.map((line) -> line.substring(line.indexOf(':') + 1).trim())
				.orElse(cpu);
		}
		catch (IOException ex) {
			// Not Linux: the CPU model stays unknown.
		}
		return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), "
				+ Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB max heap, Java "
				+ System.getProperty("java.version") + ", " + serverVersion()
				+ "; the JVM and PostgreSQL share the cores";
	}

	private String serverVersion() {
		try (Connection connection = this.database.connect();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SHOW server_version")) {
			result.next();
			return "PostgreSQL " + result.getString(1);
		}
		catch (SQLException ex) {
			return "PostgreSQL (version unknown)";
		}
	}

}
