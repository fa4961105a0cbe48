package dev.dbpool.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
	void reportKeepsTextAroundTheResultsMarkers(@TempDir Path directory) throws Exception {
		Path output = directory.resolve("benchmarks.md");
		Files.writeString(output, "# Benchmarks\n\nMethod text.\n\n" + BenchmarkReport.START + "\nold\n"
				+ BenchmarkReport.END + "\n\nTuning history.\n");
		PoolBenchmark.Results results = new PoolBenchmark.Results();
		for (String label : List.of("(a) raw HikariCP", "(b) starter, all features", "(c) connect per request",
				"(d) dedicated connection", PoolBenchmark.DATASOURCE_PROXY)) {
			for (Operation operation : Operation.values()) {
				results.throughput(label, operation).add(1000.0);
				results.cost(label, operation).add(new Measurement.Cost(50, 60, 100));
			}
		}
		results.sweep.put("(a) raw HikariCP", new double[] { 1, 2 });
		PoolBenchmark.Options options = PoolBenchmark.Options.parse(new String[] { "--output", output.toString() });
		new BenchmarkReport(results, options, TestDatabase.shared(), List.of(1, 2), 10, 10).write();
		String written = Files.readString(output);
		assertThat(written).startsWith("# Benchmarks\n\nMethod text.")
			.contains("Tuning history.")
			.doesNotContain("\nold\n");
		assertThat(written).contains("| (b) starter, all features | 1,000 | 1.000");
		assertThat(directory.resolve("benchmark-throughput.svg")).exists();
	}

	@Test
	void unknownOptionIsRefusedWithTheAllowedOnes() {
		assertThatIllegalArgumentException().isThrownBy(() -> PoolBenchmark.Options.parse(new String[] { "--fast" }))
			.withMessageContaining("--quick");
	}

}
