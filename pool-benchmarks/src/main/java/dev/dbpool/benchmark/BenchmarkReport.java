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

import dev.dbpool.benchmark.PairedComparison.Figures;
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

	private final List<WorkloadBenchmark.Row> workloads;

	BenchmarkReport(Results results, Options options, TestDatabase database, List<Integer> sweep, int poolSize,
			int threads, List<WorkloadBenchmark.Row> workloads) {
		this.results = results;
		this.workloads = workloads;
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
		md.append(String.format(Locale.ROOT,
				"Run on %s in %d s. Paired blocks: %d blocks of (a) and (b) in the order a-b-b-a or b-a-a-b, "
						+ "%d ms slices with %d client threads, %d operations per single-thread run. Context: %d "
						+ "interleaved rounds of %d ms slices. Pool size %d.%n%n",
				LocalDate.now(), this.results.elapsed.toSeconds(), this.results.selectRatio.ratio().count(),
				this.options.pairedSlice.toMillis(), this.threads, this.options.costOperations, this.options.rounds,
				this.options.slice.toMillis(), this.poolSize));
		md.append("Machine: ").append(machine()).append("\n\n");
		md.append("Features on in (b): ").append(String.join(", ", this.results.features)).append(".\n\n");
		targets(md);
		paired(md);
		md.append("\n### All variants, ")
			.append(this.threads)
			.append(" threads (median of ")
			.append(this.options.rounds)
			.append(" context rounds)\n\n");
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
		md.append("\n### pgbench -S -M prepared, ").append(this.threads).append(" clients\n\n");
		OptionalDouble pgbench = pgbench();
		if (pgbench.isPresent()) {
			md.append(String.format(Locale.ROOT, "Before: %,.0f tps; after: %s tps; mean %,.0f.%n%n",
					this.results.pgbenchBefore.getAsDouble(), format(this.results.pgbenchAfter),
					pgbench.getAsDouble()));
			md.append(String.format(Locale.ROOT, "(a)/pgbench = %.3f, (b)/pgbench = %.3f (context rounds).%n%n",
					Results.median(this.results.throughput(A, Operation.SELECT)) / pgbench.getAsDouble(),
					Results.median(this.results.throughput(B, Operation.SELECT)) / pgbench.getAsDouble()));
		}
		else {
			md.append("pgbench was not installed for this run.\n\n");
		}
		md.append("### Throughput against client threads\n\n");
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

	private void targets(StringBuilder md) {
		md.append("### Against the targets\n\n");
		md.append("The targets of issue 17, then the older ones. Median over the paired blocks, with the "
				+ "distribution-free 95% confidence interval of the median. \"Met\" needs the median on the right "
				+ "side of the target; \"beyond noise\" says whether the whole interval is. (b0) is the starter's "
				+ "DataSource bean, the comparison the targets name; (b) adds an application bean behind the "
				+ "retry advisor.\n\n");
		md.append("| Target | Median | 95% CI | Met |\n|---|---:|---|---|\n");
		md.append(atLeast("(b0)/(a) PK select throughput, 10 threads", this.results.withoutAdvisorRatio.ratio(), 0.97));
		md.append(atLeast("(b)/(a) PK select throughput, 10 threads", this.results.selectRatio.ratio(), 0.97));
		md.append(microsAtMost("(b0) − (a) calling threads' CPU per PK select, 10 threads",
				this.results.withoutAdvisorRatio.addedThreadCpuMicros(), 1));
		md.append(microsAtMost("(b) − (a) calling threads' CPU per PK select, 10 threads",
				this.results.selectRatio.addedThreadCpuMicros(), 1));
		md.append(microsAtMost("(b0) − (a) calling-thread CPU per PK select, one thread",
				this.results.withoutAdvisorCost.cpuMicros(), 1));
		md.append(microsAtMost("(b) − (a) calling-thread CPU per PK select, one thread",
				this.results.selectCost.cpuMicros(), 1));
		for (WorkloadBenchmark.Row row : this.workloads) {
			if (row.name().equals(RealWorkload.BATCH_INSERT.description())) {
				md.append(atLeast("starter / stock Boot, " + row.name(), row.first().ratio(), 2));
			}
		}
		for (WorkloadBenchmark.Row row : this.workloads) {
			Figures vsStock = row.first().ratio();
			String verdict = Double.isNaN(vsStock.low()) ? "too few blocks"
					: (vsStock.low() >= 0.95) ? "yes" : "**no**";
			md.append("| starter / stock Boot, ")
				.append(row.name())
				.append(", never slower: lower end ≥ 0.95 | ")
				.append(String.format(Locale.ROOT, "%.3f", vsStock.median()))
				.append(" | ")
				.append(interval(vsStock, "%.3f"))
				.append(" | ")
				.append(verdict)
				.append(" |\n");
		}
		if (this.workloads.isEmpty()) {
			md.append("| starter / stock Boot, every workload | | | not run (--no-workloads) |\n");
		}
		md.append(microsAtMost("(b) − (a) latency per PK select, one thread", this.results.selectCost.wallMicros(), 3));
		double poolVsConnect = Results.median(this.results.throughput(A, Operation.SELECT))
				/ Results.median(this.results.throughput(C, Operation.SELECT));
		md.append(String.format(Locale.ROOT, "| (a)/(c) pool vs connect-per-request, ≥ 20× | %.0f× | | %s |%n",
				poolVsConnect, (poolVsConnect >= 20) ? "yes" : "**no**"));
		OptionalDouble pgbench = pgbench();
		if (pgbench.isPresent()) {
			double ratio = Results.median(this.results.throughput(B, Operation.SELECT)) / pgbench.getAsDouble();
			md.append(String.format(Locale.ROOT, "| (b)/pgbench select-only, ≥ 0.75 | %.3f | | %s |%n", ratio,
					(ratio >= 0.75) ? "yes" : "**no**"));
		}
		md.append('\n');
	}

	private void paired(StringBuilder md) {
		md.append("### (b) against (a), paired blocks\n\n");
		md.append("Thread CPU is the calling thread's CPU time per operation: what a query costs the application "
				+ "thread (pool, wrappers, retry advisor, driver, and the kernel's socket calls); with 10 threads it "
				+ "is summed over the threads running the operations and divided by the operations. The control runs "
				+ "the raw pool against itself: its interval is the resolution of the method on this machine. "
				+ "(b0) is the starter's DataSource bean called directly, without the application bean and its "
				+ "retry advisor.\n\n");
		md.append("| Comparison | Blocks | Median | 95% CI |\n|---|---:|---:|---|\n");
		md.append(comparison("(b)/(a) PK select throughput, 10 threads", this.results.selectRatio.ratio(), "%.3f"));
		md.append(comparison("(b0)/(a) PK select throughput, 10 threads", this.results.withoutAdvisorRatio.ratio(),
				"%.3f"));
		md.append(comparison("(b)/(a) insert transaction throughput, 10 threads", this.results.insertRatio.ratio(),
				"%.3f"));
		md.append(comparison("control: (a)/(a) PK select throughput, 10 threads", this.results.controlRatio.ratio(),
				"%.3f"));
		md.append(comparison("(a) calling threads' CPU per PK select, 10 threads, µs",
				this.results.selectRatio.baselineThreadCpuMicros(), "%.1f"));
		md.append(comparison("(b) − (a) calling threads' CPU per PK select, 10 threads, µs",
				this.results.selectRatio.addedThreadCpuMicros(), "%+.2f"));
		md.append(comparison("(b0) − (a) calling threads' CPU per PK select, 10 threads, µs",
				this.results.withoutAdvisorRatio.addedThreadCpuMicros(), "%+.2f"));
		md.append(comparison("control: (a) − (a) calling threads' CPU per PK select, 10 threads, µs",
				this.results.controlRatio.addedThreadCpuMicros(), "%+.2f"));
		md.append(comparison("(a) calling-thread CPU per PK select, one thread, µs",
				this.results.selectCost.baselineCpuMicros(), "%.1f"));
		md.append(comparison("(b) − (a) calling-thread CPU per PK select, µs", this.results.selectCost.cpuMicros(),
				"%+.2f"));
		md.append(comparison("(b) − (a) wall time per PK select, µs", this.results.selectCost.wallMicros(), "%+.2f"));
		md.append(comparison("(b0) − (a) calling-thread CPU per PK select, µs",
				this.results.withoutAdvisorCost.cpuMicros(), "%+.2f"));
		md.append(comparison("(e) − (a) calling-thread CPU per PK select, µs",
				this.results.datasourceProxyCost.cpuMicros(), "%+.2f"));
		md.append(comparison("(a) calling-thread CPU per insert transaction, one thread, µs",
				this.results.insertCost.baselineCpuMicros(), "%.1f"));
		md.append(comparison("(b) − (a) calling-thread CPU per insert transaction, µs",
				this.results.insertCost.cpuMicros(), "%+.2f"));
		md.append(comparison("(b) − (a) wall time per insert transaction, µs", this.results.insertCost.wallMicros(),
				"%+.2f"));
		md.append(String.format(Locale.ROOT,
				"%nThe retry advisor and its Spring proxy on their own (a call to a bean method that does no "
						+ "database work, against the same method on an unproxied instance): %.0f ns of calling-thread "
						+ "CPU per call.%n",
				this.results.advisorNanos));
	}

	/**
	 * A ratio target: met when the median is at least the bound, beyond noise when the
	 * interval is. A whole bound reads as a multiple (2×), any other as a ratio (0.97).
	 */
	private static String atLeast(String target, Figures figures, double bound) {
		String label = target + ", ≥ " + ((bound == Math.rint(bound)) ? String.format(Locale.ROOT, "%.0f×", bound)
				: String.format(Locale.ROOT, "%.2f", bound));
		return target(label, figures, "%.3f", figures.median() >= bound, figures.low() >= bound);
	}

	/** A cost target in microseconds: met when the median is at most the bound. */
	private static String microsAtMost(String target, Figures figures, double bound) {
		return target(target + String.format(Locale.ROOT, ", ≤ %.0f µs", bound), figures, "%+.2f µs",
				figures.median() <= bound, figures.high() <= bound);
	}

	private static String target(String target, Figures figures, String format, boolean met, boolean beyondNoise) {
		String verdict;
		if (!met) {
			verdict = "**no**";
		}
		else if (Double.isNaN(figures.low())) {
			verdict = "yes (median; too few blocks for an interval)";
		}
		else {
			verdict = beyondNoise ? "yes, beyond noise" : "yes (median; the interval crosses it)";
		}
		return "| " + target + " | " + String.format(Locale.ROOT, format, figures.median()) + " | "
				+ interval(figures, format) + " | " + verdict + " |\n";
	}

	private static String comparison(String label, Figures figures, String format) {
		return "| " + label + " | " + figures.count() + " | " + String.format(Locale.ROOT, format, figures.median())
				+ " | " + interval(figures, format) + " |\n";
	}

	private static String interval(Figures figures, String format) {
		if (Double.isNaN(figures.low())) {
			return "too few blocks";
		}
		return String.format(Locale.ROOT, format, figures.low()) + " to "
				+ String.format(Locale.ROOT, format, figures.high());
	}

	private OptionalDouble pgbench() {
		if (this.results.pgbenchBefore.isEmpty()) {
			return OptionalDouble.empty();
		}
		double before = this.results.pgbenchBefore.getAsDouble();
		return OptionalDouble.of((before + this.results.pgbenchAfter.orElse(before)) / 2);
	}

	private static String format(OptionalDouble value) {
		return value.isPresent() ? String.format(Locale.ROOT, "%,.0f", value.getAsDouble()) : "n/a";
	}

	String machine() {
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
