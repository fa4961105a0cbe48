package dev.dbpool.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.benchmark.Variant.Operation;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The harness itself, on a real PostgreSQL; speed is measured by the benchmark, never
 * asserted here.
 */
class BenchmarkHarnessTests {

	@Test
	void everyVariantRunsBothOperationsWithoutErrors() throws Exception {
		TestDatabase database = TestDatabase.shared().newDatabase("harness");
		HikariDataSource raw = new HikariDataSource();
		raw.setJdbcUrl(database.jdbcUrl());
		raw.setUsername(database.username());
		raw.setPassword(database.password());
		raw.setMaximumPoolSize(2);
		Workload.prepare(raw);
		try (Variant pooled = new DataSourceVariant("(a) raw HikariCP", raw, raw);
				StarterVariant starter = new StarterVariant(database.databaseUrl(), 2)) {
			for (Variant variant : List.of(pooled, starter)) {
				for (Operation operation : Operation.values()) {
					Measurement.Throughput throughput = Measurement.throughput(variant, operation, 2,
							Duration.ofMillis(200));
					assertThat(throughput.errors()).isZero();
					assertThat(throughput.perSecond()).isPositive();
				}
			}
			assertThat(Measurement.cost(starter, Operation.INSERT, 20).wallMicros()).isPositive();
		}
		try (var connection = database.connect();
				var statement = connection.createStatement();
				var result = statement.executeQuery("SELECT count(*) FROM bench_order")) {
			result.next();
			assertThat(result.getLong(1)).isPositive();
		}
	}

	@Test
	void everyWorkloadRunsOnTheStarterAndWritesWhatItShould() throws Exception {
		TestDatabase database = TestDatabase.shared().newDatabase("workloads");
		try (StarterVariant starter = new StarterVariant(database.databaseUrl(), 2);
				RealWorkload.Target target = RealWorkload.Target.of("starter",
						starter.context().getBean(DataSource.class))) {
			Workload.prepare(target.dataSource());
			RealWorkload.prepare(target.dataSource());
			for (RealWorkload workload : RealWorkload.values()) {
				workload.run(target);
			}
			try (var connection = target.dataSource().getConnection(); var statement = connection.createStatement()) {
				assertThat(count(statement, "bench_batch")).isEqualTo(RealWorkload.BATCH_ROWS);
				assertThat(count(statement, "bench_jpa_order")).isEqualTo(RealWorkload.HIBERNATE_ENTITIES);
			}
		}
	}

	private static long count(Statement statement, String table) throws SQLException {
		try (var result = statement.executeQuery("SELECT count(*) FROM " + table)) {
			result.next();
			return result.getLong(1);
		}
	}

	@Test
	void reportKeepsTextAroundTheResultsMarkers(@TempDir Path directory) throws Exception {
		Path output = directory.resolve("benchmarks.md");
		Files.writeString(output, "# Benchmarks\n\nMethod text.\n\n" + BenchmarkReport.START + "\nold\n"
				+ BenchmarkReport.END + "\n\nTuning history.\n");
		PoolBenchmark.Results results = new PoolBenchmark.Results();
		for (String label : List.of("(a) raw HikariCP", "(b) starter, all features", "(c) connect per request",
				"(d) dedicated connection", PoolBenchmark.DATASOURCE_PROXY)) {
			for (Operation operation : Operation.values()) {
				results.throughput(label, operation).add(1000.0);
			}
		}
		results.sweep.put("(a) raw HikariCP", new double[] { 1, 2 });
		results.selectRatio = new PairedComparison.LoadedComparison(
				new PairedComparison.Figures(new double[] { 0.97, 0.99, 1.0, 0.96, 0.98, 1.01 }),
				new PairedComparison.Figures(new double[] { 0.5, 0.2, 0.1, 0.4, 0.3, 0.6 }),
				new PairedComparison.Figures(new double[] { 20, 21, 19, 20, 22, 20 }));
		PoolBenchmark.Options options = PoolBenchmark.Options.parse(new String[] { "--output", output.toString() });
		results.withoutAdvisorRatio = results.selectRatio;
		PairedComparison.LoadedComparison batch = new PairedComparison.LoadedComparison(
				new PairedComparison.Figures(new double[] { 1.8, 2.1, 2.0, 1.9, 2.2, 2.05 }),
				new PairedComparison.Figures(new double[0]), new PairedComparison.Figures(new double[0]));
		PairedComparison.LoadedComparison read = new PairedComparison.LoadedComparison(
				new PairedComparison.Figures(new double[] { 0.94, 0.99, 1.0, 0.98, 1.02, 1.01 }),
				new PairedComparison.Figures(new double[0]), new PairedComparison.Figures(new double[0]));
		List<WorkloadBenchmark.Row> workloads = List.of(
				new WorkloadBenchmark.Row(RealWorkload.BATCH_INSERT.description(), batch, batch),
				new WorkloadBenchmark.Row(RealWorkload.LARGE_READ.description(), read, read));
		new BenchmarkReport(results, options, TestDatabase.shared(), List.of(1, 2), 10, 10, workloads).write();
		String written = Files.readString(output);
		assertThat(written).startsWith("# Benchmarks\n\nMethod text.")
			.contains("Tuning history.")
			.doesNotContain("\nold\n");
		String crosses = " | yes (median; the interval crosses it) |";
		assertThat(written).contains("| (b) starter, all features | 1,000 | 1.000")
			.contains("| (b0)/(a) PK select throughput, 10 threads, ≥ 0.97 | 0.985 | 0.960 to 1.010" + crosses)
			.contains("| (b)/(a) PK select throughput, 10 threads, ≥ 0.97 | 0.985 | 0.960 to 1.010" + crosses)
			.contains("| (b0) − (a) calling threads' CPU per PK select, 10 threads, ≤ 1 µs | +0.35 µs"
					+ " | +0.10 µs to +0.60 µs | yes, beyond noise |")
			.contains("| starter / stock Boot, 1,000-row batch insert, ≥ 2× | 2.025 | 1.800 to 2.200" + crosses)
			.contains("| starter / stock Boot, 1,000-row batch insert, never slower: lower end ≥ 0.95 | 2.025"
					+ " | 1.800 to 2.200 | yes |")
			.contains("| starter / stock Boot, 10,000-row result read, never slower: lower end ≥ 0.95 | 0.995"
					+ " | 0.940 to 1.020 | **no** |")
			.doesNotContain("not run (--no-workloads)");
		assertThat(directory.resolve("benchmark-throughput.svg")).exists();
	}

	@Test
	void confidenceIntervalOfTheMedianFollowsTheBinomialTable() {
		assertThat(PairedComparison.Figures.confidenceRank(5)).isZero();
		assertThat(PairedComparison.Figures.confidenceRank(6)).isEqualTo(1);
		assertThat(PairedComparison.Figures.confidenceRank(15)).isEqualTo(4);
		assertThat(PairedComparison.Figures.confidenceRank(30)).isEqualTo(10);
		PairedComparison.Figures figures = new PairedComparison.Figures(new double[] { 6, 1, 5, 2, 4, 3, 7 });
		assertThat(figures.median()).isEqualTo(4);
		assertThat(figures.low()).isEqualTo(1);
		assertThat(figures.high()).isEqualTo(7);
		assertThat(new PairedComparison.Figures(new double[] { 1, 2, 3 }).low()).isNaN();
		assertThat(new PairedComparison.Figures(new double[] { 1, Double.NaN, 3 }).count()).isEqualTo(2);
		assertThat(PairedComparison.Figures.confidenceRank(2000)).isBetween(950, 960);
	}

	@Test
	void unknownOptionIsRefusedWithTheAllowedOnes() {
		assertThatIllegalArgumentException().isThrownBy(() -> PoolBenchmark.Options.parse(new String[] { "--fast" }))
			.withMessageContaining("--quick");
	}

}
