package dev.dbpool.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Properties;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;
import dev.dbpool.benchmark.Variant.Operation;
import dev.dbpool.config.PoolSettingTable;
import dev.dbpool.config.SettingValues;
import dev.dbpool.datasource.PoolDataSourceFactory;
import dev.dbpool.datasource.PoolDefinition;
import dev.dbpool.datasource.PoolSettingsResolver;
import dev.dbpool.embedded.EmbeddedPostgresServer;
import dev.dbpool.testsupport.TestDatabase;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Measures, in one JVM and against one real PostgreSQL, the starter's DataSource against
 * raw HikariCP with identical settings, connect-per-request and a dedicated connection
 * per thread, in short interleaved slices so that machine noise hits every variant alike;
 * runs pgbench before and after; writes the results to {@code docs/benchmarks.md}.
 */
public final class PoolBenchmark {

	static final String DATASOURCE_PROXY = "(e) datasource-proxy, no-op listener";

	static final String STARTER_WITHOUT_ADVISOR = "(b0) starter DataSource, called directly";

	private static final int POOL_SIZE = 10;

	private static final int THREADS = 10;

	private static final List<Integer> SWEEP = List.of(1, 2, 4, 8, 10, 16, 32, 64);

	private final Options options;

	private final TestDatabase database;

	private PoolBenchmark(Options options, TestDatabase database) {
		this.options = options;
		this.database = database;
	}

	public static void main(String[] args) throws Exception {
		Options options = Options.parse(args);
		String external = System.getenv("DBPOOL_BENCH_URL");
		EmbeddedPostgresServer server = null;
		TestDatabase database;
		if (external != null && !external.isBlank()) {
			database = TestDatabase.shared();
		}
		else {
			server = EmbeddedPostgresServer.builder().serverConfig("max_connections", "300").start();
			database = TestDatabase.embedded(server).newDatabase("bench");
		}
		try {
			new PoolBenchmark(options, database).run();
		}
		finally {
			if (server != null) {
				server.close();
			}
		}
	}

	private void run() throws Exception {
		Instant started = Instant.now();
		log("PostgreSQL at " + this.database + "; slices of " + this.options.slice.toMillis() + " ms, "
				+ this.options.rounds + " rounds");
		PoolDefinition definition = definition();
		// The starter's settings, but HikariCP's own connections straight from the
		// driver:
		// none of the layers the starter puts under HikariCP (the connection allowance,
		// the
		// transaction scope behind PgBouncer, the backend check) is in (a).
		HikariDataSource raw = PoolDataSourceFactory.create(definition, true, List
			.of((config) -> config.setDataSource(new DriverDataSource(config.getJdbcUrl(), "org.postgresql.Driver",
					config.getDataSourceProperties(), config.getUsername(), config.getPassword()))));
		Workload.prepare(raw);
		Results results = new Results();
		WorkloadBenchmark workloads = null;
		try (Variant a = new DataSourceVariant("(a) raw HikariCP", raw, raw);
				StarterVariant b = new StarterVariant(this.database.databaseUrl(), POOL_SIZE);
				Variant c = new DataSourceVariant("(c) connect per request", simpleDataSource(definition), () -> {
				});
				Variant d = new DedicatedConnectionVariant(simpleDataSource(definition));
				Variant e = new DataSourceVariant(DATASOURCE_PROXY, datasourceProxy(raw), () -> {
				});
				Variant bWithoutAdvisor = new DataSourceVariant(STARTER_WITHOUT_ADVISOR,
						b.context().getBean(DataSource.class), () -> {
						})) {
			results.features = features(b);
			Variant aAgain = new DataSourceVariant("(a') raw HikariCP again", raw, () -> {
			});
			List<Variant> pooled = List.of(a, b, d, e);
			log("Warming up");
			for (Variant variant : pooled) {
				for (Operation operation : Operation.values()) {
					Measurement.throughput(variant, operation, THREADS, this.options.slice);
				}
			}
			PgBench pgbench = PgBench.find(this.database).orElse(null);
			if (pgbench != null) {
				log("pgbench " + pgbench + ": initialising and running select-only with " + THREADS + " clients");
				pgbench.initialize();
				results.pgbenchBefore = pgbench.selectOnly(THREADS, this.options.pgbenchSeconds);
			}
			else {
				log("pgbench not installed (Debian: postgresql-contrib); skipping the pgbench baseline");
			}
			int blocks = this.options.blocks;
			int fewer = Math.max(6, blocks * 3 / 10);
			Duration pairedSlice = this.options.pairedSlice;
			log("Paired blocks: (b) against (a), " + blocks + " blocks of 4 x " + pairedSlice.toMillis() + " ms");
			results.selectRatio = PairedComparison.throughputRatio(a, b, Operation.SELECT, THREADS, blocks,
					pairedSlice);
			log("(b)/(a) select: median " + results.selectRatio.ratio().median());
			// (b0) is what the issue 17 targets name: as many blocks as (b).
			results.withoutAdvisorRatio = PairedComparison.throughputRatio(a, bWithoutAdvisor, Operation.SELECT,
					THREADS, blocks, pairedSlice);
			log("(b0)/(a) select: median " + results.withoutAdvisorRatio.ratio().median());
			results.insertRatio = PairedComparison.throughputRatio(a, b, Operation.INSERT, THREADS, fewer, pairedSlice);
			results.controlRatio = PairedComparison.throughputRatio(a, aAgain, Operation.SELECT, THREADS, fewer,
					pairedSlice);
			log("(a')/(a) control: median " + results.controlRatio.ratio().median());
			int costBlocks = Math.max(6, blocks * 3 / 4);
			results.selectCost = PairedComparison.addedCost(a, b, Operation.SELECT, this.options.costOperations,
					costBlocks);
			log("(b)-(a) select CPU: median " + results.selectCost.cpuMicros().median() + " us");
			results.insertCost = PairedComparison.addedCost(a, b, Operation.INSERT, this.options.costOperations / 2,
					fewer);
			results.withoutAdvisorCost = PairedComparison.addedCost(a, bWithoutAdvisor, Operation.SELECT,
					this.options.costOperations, costBlocks);
			results.datasourceProxyCost = PairedComparison.addedCost(a, e, Operation.SELECT,
					this.options.costOperations, fewer);
			log("Context rounds: (a), (b), (d), (e) and (c), " + this.options.rounds + " rounds");
			for (int round = 1; round <= this.options.rounds; round++) {
				List<Variant> order = new ArrayList<>(pooled);
				Collections.shuffle(order);
				order.add(c);
				for (Variant variant : order) {
					for (Operation operation : Operation.values()) {
						Duration slice = (variant == c) ? this.options.slice.dividedBy(2) : this.options.slice;
						Measurement.Throughput throughput = Measurement.throughput(variant, operation, THREADS, slice);
						results.throughput(variant.label(), operation).add(throughput.perSecond());
						results.errors.merge(variant.label(), throughput.errors(), Long::sum);
					}
				}
				log("Round " + round + ": select (a) " + last(results.throughput(a.label(), Operation.SELECT))
						+ "/s, (b) " + last(results.throughput(b.label(), Operation.SELECT)) + "/s");
			}
			results.advisorNanos = Measurement.advisorNanos(b.queries(),
					new BenchmarkQueries(b.context().getBean(DataSource.class)));
			if (pgbench != null) {
				results.pgbenchAfter = pgbench.selectOnly(THREADS, this.options.pgbenchSeconds);
			}
			if (this.options.workloads) {
				workloads = new WorkloadBenchmark(this.database, POOL_SIZE, this.options.workloadThreads,
						this.options.workloadBlocks, this.options.workloadTargetBlocks, this.options.workloadSlice);
				workloads.observations(b, THREADS, fewer, pairedSlice);
				workloads.run(b.context().getBean(DataSource.class), raw);
			}
			log("Sweeping client threads " + SWEEP + " with a pool of " + POOL_SIZE);
			for (int threads : SWEEP) {
				for (Variant variant : new Variant[] { a, b }) {
					results.sweep.computeIfAbsent(variant.label(), (key) -> new double[SWEEP.size()])[SWEEP.indexOf(
							threads)] = Measurement.throughput(variant, Operation.SELECT, threads, this.options.slice)
								.perSecond();
				}
			}
		}
		results.elapsed = Duration.between(started, Instant.now());
		BenchmarkReport report = new BenchmarkReport(results, this.options, this.database, SWEEP, POOL_SIZE, THREADS,
				(workloads != null) ? workloads.workloads() : List.of());
		report.write();
		if (workloads != null) {
			workloads.write(this.options.output, report.machine());
		}
		log("Done in " + results.elapsed.toSeconds() + " s; results in " + this.options.output);
	}

	private PoolDefinition definition() {
		SettingValues values = SettingValues.of(Map.of(PoolSettingTable.URL.property(), this.database.databaseUrl(),
				PoolSettingTable.CONNECTION_LIMIT.property(), Integer.toString(POOL_SIZE)), Map.of());
		return new PoolSettingsResolver(values, Map.of(), "bench-raw").resolve(null);
	}

	/**
	 * datasource-proxy wired the usual way, around the same pool as (a): JDK dynamic
	 * proxies and a listener that does nothing. It is measured in every run because it is
	 * what the starter would have used; see docs/benchmarks.md for why it does not.
	 */
	private static DataSource datasourceProxy(DataSource pool) {
		return ProxyDataSourceBuilder.create(pool).name("bench-proxy").listener(new QueryExecutionListener() {

			@Override
			public void beforeQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {
			}

			@Override
			public void afterQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {
			}

		}).build();
	}

	private static PGSimpleDataSource simpleDataSource(PoolDefinition definition) throws Exception {
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setURL(definition.jdbcUrl());
		dataSource.setUser(definition.username());
		dataSource.setPassword(definition.password());
		Properties properties = definition.driverProperties();
		for (String name : properties.stringPropertyNames()) {
			dataSource.setProperty(name, properties.getProperty(name));
		}
		return dataSource;
	}

	private static List<String> features(StarterVariant starter) {
		List<String> features = new ArrayList<>();
		for (String name : starter.context().getBeanDefinitionNames()) {
			Object bean = starter.context().getBean(name);
			String type = bean.getClass().getName();
			if (type.startsWith("dev.dbpool.") && !type.startsWith("dev.dbpool.benchmark.")) {
				features.add(bean.getClass().getSimpleName());
			}
		}
		Collections.sort(features);
		return features;
	}

	private static String last(List<Double> values) {
		return String.format("%,.0f", values.get(values.size() - 1));
	}

	private static void log(String message) {
		System.out.println("[benchmark] " + message);
	}

	/** All figures of one run. */
	static final class Results {

		final Map<String, Map<Operation, List<Double>>> throughput = new LinkedHashMap<>();

		PairedComparison.LoadedComparison selectRatio = PairedComparison.LoadedComparison.NONE;

		PairedComparison.LoadedComparison withoutAdvisorRatio = PairedComparison.LoadedComparison.NONE;

		PairedComparison.LoadedComparison insertRatio = PairedComparison.LoadedComparison.NONE;

		PairedComparison.LoadedComparison controlRatio = PairedComparison.LoadedComparison.NONE;

		PairedComparison.AddedCost selectCost = PairedComparison.AddedCost.NONE;

		PairedComparison.AddedCost insertCost = PairedComparison.AddedCost.NONE;

		PairedComparison.AddedCost withoutAdvisorCost = PairedComparison.AddedCost.NONE;

		PairedComparison.AddedCost datasourceProxyCost = PairedComparison.AddedCost.NONE;

		final Map<String, Long> errors = new LinkedHashMap<>();

		final Map<String, double[]> sweep = new LinkedHashMap<>();

		OptionalDouble pgbenchBefore = OptionalDouble.empty();

		OptionalDouble pgbenchAfter = OptionalDouble.empty();

		List<String> features = List.of();

		double advisorNanos = Double.NaN;

		Duration elapsed = Duration.ZERO;

		List<Double> throughput(String label, Operation operation) {
			return this.throughput.computeIfAbsent(label, (key) -> new EnumMap<>(Operation.class))
				.computeIfAbsent(operation, (key) -> new ArrayList<>());
		}

		static double median(List<Double> values) {
			double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
			if (sorted.length == 0) {
				return Double.NaN;
			}
			int middle = sorted.length / 2;
			return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
		}

		/** Median over rounds of the per-round ratio, so slow rounds hit both sides. */
		double medianRatio(String label, String baseline, Operation operation) {
			List<Double> ratios = new ArrayList<>();
			List<Double> values = throughput(label, operation);
			List<Double> base = throughput(baseline, operation);
			for (int i = 0; i < Math.min(values.size(), base.size()); i++) {
				ratios.add(values.get(i) / base.get(i));
			}
			return median(ratios);
		}

	}

	/** Command-line options. */
	static final class Options {

		Duration slice = Duration.ofMillis(1200);

		int rounds = 2;

		int blocks = 40;

		Duration pairedSlice = Duration.ofMillis(400);

		int costOperations = 1500;

		int pgbenchSeconds = 10;

		Path output = Path.of("docs/benchmarks.md");

		boolean workloads = true;

		int workloadThreads = 4;

		int workloadBlocks = 12;

		int workloadTargetBlocks = 24;

		Duration workloadSlice = Duration.ofMillis(600);

		static Options parse(String[] args) {
			Options options = new Options();
			List<String> list = Arrays.asList(args);
			for (int i = 0; i < list.size(); i++) {
				String arg = list.get(i);
				switch (arg) {
					case "--quick" -> {
						options.slice = Duration.ofSeconds(1);
						options.rounds = 2;
						options.blocks = 6;
						options.costOperations = 500;
						options.pgbenchSeconds = 3;
						options.workloadBlocks = 6;
						options.workloadTargetBlocks = 6;
						options.workloadSlice = Duration.ofMillis(300);
					}
					case "--slice" -> options.slice = Duration.ofMillis(Long.parseLong(value(list, ++i, arg)));
					case "--rounds" -> options.rounds = Integer.parseInt(value(list, ++i, arg));
					case "--blocks" -> options.blocks = Integer.parseInt(value(list, ++i, arg));
					case "--output" -> options.output = Path.of(value(list, ++i, arg));
					case "--workload-blocks" -> options.workloadBlocks = Integer.parseInt(value(list, ++i, arg));
					case "--workload-target-blocks" ->
						options.workloadTargetBlocks = Integer.parseInt(value(list, ++i, arg));
					case "--workload-slice" ->
						options.workloadSlice = Duration.ofMillis(Long.parseLong(value(list, ++i, arg)));
					case "--no-workloads" -> options.workloads = false;
					default -> throw new IllegalArgumentException("Unknown option '" + arg
							+ "'; use --quick, --slice <ms>, --rounds <n>, --blocks <n>, --workload-blocks <n>, "
							+ "--workload-target-blocks <n>, "
							+ "--workload-slice <ms>, --no-workloads or --output <file>");
				}
			}
			if (!Files.isDirectory(options.output.toAbsolutePath().getParent())) {
				throw new IllegalArgumentException("--output " + options.output + ": the directory does not exist");
			}
			return options;
		}

		private static String value(List<String> list, int index, String option) {
			if (index >= list.size()) {
				throw new IllegalArgumentException(option + " needs a value");
			}
			return list.get(index);
		}

	}

}
