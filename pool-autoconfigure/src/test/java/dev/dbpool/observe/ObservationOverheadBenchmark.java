package dev.dbpool.observe;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.metrics.QueryMetrics;
import dev.dbpool.testsupport.TestDatabase;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import net.ttddyy.dsproxy.ConnectionIdManager;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.proxy.NanoTimeStopwatchFactory;
import net.ttddyy.dsproxy.proxy.ProxyConfig;
import net.ttddyy.dsproxy.support.ProxyDataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;

/**
 * Overhead of the observation layer against raw HikariCP, on the same pool and the same
 * embedded PostgreSQL, in interleaved short slices. Not a test: run it by hand (see
 * docs/benchmarks.md). Arguments: {@code rounds sliceMillis variant...}.
 */
public final class ObservationOverheadBenchmark {

	private static final String SQL = "SELECT id, name FROM bench_items WHERE id = ?";

	private static final int ROWS = 10_000;

	private static final int THREADS = 10;

	private static double lastConcurrentCpuPerOp;

	private ObservationOverheadBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("stub")) {
			stub(Arrays.asList(args).subList(1, args.length));
			return;
		}
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 8;
		long sliceMillis = (args.length > 1) ? Long.parseLong(args[1]) : 2000;
		List<String> selected = (args.length > 2) ? Arrays.asList(args).subList(2, args.length)
				: List.of("dsproxy-default", "dsproxy-tuned", "dsproxy-factory", "observed", "observed-metrics");
		TestDatabase database = TestDatabase.shared().newDatabase("bench");
		database.execute("CREATE TABLE bench_items (id int PRIMARY KEY, name text NOT NULL)",
				"INSERT INTO bench_items SELECT g, 'item ' || g FROM generate_series(1, " + ROWS + ") g",
				"ANALYZE bench_items");
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(database.jdbcUrl());
		config.setUsername(database.username());
		config.setPassword(database.password());
		config.setMaximumPoolSize(THREADS);
		config.setMinimumIdle(THREADS);
		config.setPoolName("bench");
		try (HikariDataSource hikari = new HikariDataSource(config)) {
			Map<String, DataSource> variants = new LinkedHashMap<>();
			variants.put("raw", hikari);
			Map<String, Function<DataSource, DataSource>> factories = factories();
			for (String name : selected) {
				variants.put(name, factories.get(name).apply(hikari));
			}
			run(variants, rounds, sliceMillis);
		}
	}

	private static Map<String, Function<DataSource, DataSource>> factories() {
		Map<String, Function<DataSource, DataSource>> factories = new LinkedHashMap<>();
		// The same pool measured as if it were a variant: the spread of the method
		// itself.
		factories.put("raw-again", Function.identity());
		factories.put("dsproxy-default", (ds) -> ProxyDataSourceBuilder.create("bench", ds).build());
		factories.put("dsproxy-tuned", (ds) -> {
			QueryObserver observer = observer(QueryEventListener.NONE);
			ProxyDataSource proxy = new ProxyDataSource(ds);
			proxy.setProxyConfig(ProxyConfig.Builder.create()
				.dataSourceName("bench")
				.queryListener(new ObserverListener(observer))
				.stopwatchFactory(new NanoTimeStopwatchFactory())
				.connectionIdManager(new ConstantConnectionIdManager())
				.build());
			return proxy;
		});
		factories.put("dsproxy-factory", (ds) -> {
			QueryObserver observer = observer(QueryEventListener.NONE);
			ProxyDataSource proxy = new ProxyDataSource(ds);
			proxy.setProxyConfig(ProxyConfig.Builder.create()
				.dataSourceName("bench")
				.jdbcProxyFactory(new ObservedJdbcProxyFactory(observer))
				.stopwatchFactory(new NanoTimeStopwatchFactory())
				.connectionIdManager(new ConstantConnectionIdManager())
				.build());
			return proxy;
		});
		factories.put("observed", (ds) -> new ObservedDataSource(ds, observer(QueryEventListener.NONE)));
		factories.put("observed-metrics", (ds) -> new ObservedDataSource(ds,
				observer(new QueryMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), "bench"))));
		factories.put("observed-observations", (ds) -> {
			// What Spring Boot's actuator sets up without a tracer: a registry whose only
			// handler is the meter handler.
			PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
			QueryObserver observer = observer(new QueryMetrics(meters, "bench"));
			return new ObservedDataSource(ds, observer,
					new ObservationInstrumentation(TimedInstrumentation.INSTANCE, registry, "bench", null, null));
		});
		// The starter's defaults since issue 18: per-transaction and per-request
		// counting, plan capture (so bind parameters are captured) and the metrics.
		factories.put("observed-insight", (ds) -> new ObservedDataSource(ds,
				insightObserver(new QueryMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), "bench"))));
		return factories;
	}

	private static QueryObserver insightObserver(QueryEventListener listener) {
		SlowQueryLog slowQueryLog = new SlowQueryLog(Duration.ofSeconds(1), 1000, 50, Clock.systemUTC());
		TransactionTracking tracking = new TransactionTracking(10, Duration.ofMinutes(5), true, Clock.systemUTC());
		SlowQueryPlans plans = new SlowQueryPlans(() -> {
			throw new IllegalStateException("no statement of the benchmark is slow");
		}, 10, Duration.ofMinutes(10), Duration.ofSeconds(2), Clock.systemUTC());
		return new QueryObserver("bench", new StatementShapes(500, 2048, 1000), new QueryStatistics(Clock.systemUTC()),
				slowQueryLog, false, listener, tracking, plans);
	}

	private static QueryObserver observer(QueryEventListener listener) {
		SlowQueryLog slowQueryLog = new SlowQueryLog(Duration.ofSeconds(1), 1000, 50, Clock.systemUTC());
		return new QueryObserver("bench", new StatementShapes(500, 2048, 1000), new QueryStatistics(Clock.systemUTC()),
				slowQueryLog, false, listener);
	}

	private static void run(Map<String, DataSource> variants, int rounds, long sliceMillis) throws Exception {
		Map<String, List<Double>> throughput = new LinkedHashMap<>();
		Map<String, List<Double>> cpu = new LinkedHashMap<>();
		Map<String, List<Double>> concurrentCpu = new LinkedHashMap<>();
		variants.keySet().forEach((name) -> {
			throughput.put(name, new ArrayList<>());
			cpu.put(name, new ArrayList<>());
			concurrentCpu.put(name, new ArrayList<>());
		});
		// Warm-up: every variant, both modes, untimed.
		for (Map.Entry<String, DataSource> variant : variants.entrySet()) {
			throughput(variant.getValue(), sliceMillis);
			cpuPerOp(variant.getValue(), sliceMillis);
		}
		List<String> order = new ArrayList<>(variants.keySet());
		for (int round = 0; round < rounds; round++) {
			// Rotate the order so that no variant always runs first or last.
			java.util.Collections.rotate(order, 1);
			for (String name : order) {
				throughput.get(name).add(throughput(variants.get(name), sliceMillis));
				concurrentCpu.get(name).add(lastConcurrentCpuPerOp);
				cpu.get(name).add(cpuPerOp(variants.get(name), sliceMillis / 2));
			}
			StringBuilder line = new StringBuilder("round " + (round + 1) + ":");
			for (String name : variants.keySet()) {
				line.append(String.format(" %s=%.0f/%.2fus", name, throughput.get(name).get(round),
						cpu.get(name).get(round)));
			}
			System.out.println(line);
		}
		double rawThroughput = median(throughput.get("raw"));
		double rawCpu = median(cpu.get("raw"));
		System.out.printf("%n%-18s %14s %8s %8s %8s %8s %10s %10s %12s%n", "variant", "ops/s (10 thr)", "sum-ratio",
				"trimmed", "median", "halves", "cpu us/op", "added us", "10-thr added");
		for (String name : variants.keySet()) {
			List<Double> ratios = new ArrayList<>();
			for (int i = 0; i < rounds; i++) {
				ratios.add(throughput.get(name).get(i) / throughput.get("raw").get(i));
			}
			double medianCpu = median(cpu.get(name));
			int half = rounds / 2;
			String halves = String.format("%.3f/%.3f",
					sum(throughput.get(name).subList(0, half)) / sum(throughput.get("raw").subList(0, half)),
					sum(throughput.get(name).subList(half, rounds)) / sum(throughput.get("raw").subList(half, rounds)));
			System.out.printf("%-18s %14.0f %8.3f %8.3f %8.3f %8s %10.2f %10.2f %12.2f%n", name,
					median(throughput.get(name)), sum(throughput.get(name)) / sum(throughput.get("raw")),
					trimmedMean(ratios, 0.1), median(ratios), halves, medianCpu, medianCpu - rawCpu,
					median(concurrentCpu.get(name)) - median(concurrentCpu.get("raw")));
		}
		System.out.printf("raw throughput %.0f ops/s, raw cpu %.2f us/op%n", rawThroughput, rawCpu);
	}

	private static double throughput(DataSource dataSource, long millis) throws Exception {
		LongAdder ops = new LongAdder();
		LongAdder cpuNanos = new LongAdder();
		AtomicBoolean stop = new AtomicBoolean();
		AtomicBoolean measuring = new AtomicBoolean();
		CountDownLatch started = new CountDownLatch(THREADS);
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < THREADS; t++) {
			Thread thread = new Thread(() -> {
				ThreadMXBean bean = ManagementFactory.getThreadMXBean();
				started.countDown();
				try {
					while (!measuring.get()) {
						selectOne(dataSource);
					}
					long cpuStart = bean.getCurrentThreadCpuTime();
					while (!stop.get()) {
						selectOne(dataSource);
						ops.increment();
					}
					cpuNanos.add(bean.getCurrentThreadCpuTime() - cpuStart);
				}
				catch (SQLException ex) {
					throw new IllegalStateException(ex);
				}
			});
			threads.add(thread);
			thread.start();
		}
		started.await();
		Thread.sleep(50);
		measuring.set(true);
		long start = System.nanoTime();
		Thread.sleep(millis);
		long count = ops.sum();
		long elapsed = System.nanoTime() - start;
		stop.set(true);
		for (Thread thread : threads) {
			thread.join();
		}
		lastConcurrentCpuPerOp = cpuNanos.sum() / 1000.0 / Math.max(ops.sum(), 1);
		return count * 1e9 / elapsed;
	}

	private static double cpuPerOp(DataSource dataSource, long millis) throws SQLException {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long deadline = System.nanoTime() + millis * 1_000_000;
		long cpuStart = threads.getCurrentThreadCpuTime();
		long ops = 0;
		while (System.nanoTime() < deadline) {
			for (int i = 0; i < 100; i++) {
				selectOne(dataSource);
			}
			ops += 100;
		}
		return (threads.getCurrentThreadCpuTime() - cpuStart) / 1000.0 / ops;
	}

	static void selectOne(DataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(SQL)) {
			statement.setInt(1, ThreadLocalRandom.current().nextInt(1, ROWS + 1));
			try (ResultSet result = statement.executeQuery()) {
				if (!result.next() || result.getString(2) == null) {
					throw new IllegalStateException("row missing");
				}
			}
		}
	}

	/**
	 * The wrapper alone: every variant around the same in-memory JDBC stub, so that the
	 * difference to the bare stub is the layer's own CPU cost per query, in nanoseconds,
	 * without network or server noise. The {@code starter-*} variants compare with
	 * {@code hikari}, a bare HikariCP pool over the stub, instead.
	 */
	private static void stub(List<String> selected) throws Exception {
		DataSource stub = JdbcStub.dataSource();
		Map<String, Operation> variants = new LinkedHashMap<>();
		variants.put("raw", () -> selectOne(stub));
		Map<String, Function<DataSource, DataSource>> factories = factories();
		List<AutoCloseable> pools = new ArrayList<>();
		for (String name : selected) {
			variants.put(name, switch (name) {
				case "hikari" -> operation(StarterStub.hikari(stub, null), pools);
				case "hikari-tracker" -> operation(StarterStub.hikari(stub, StarterStub.registry()), pools);
				case "starter-ds" -> operation(StarterStub.dataSource(stub), pools);
				case "starter-bean" -> {
					DataSource dataSource = StarterStub.dataSource(stub);
					pools.add((AutoCloseable) dataSource);
					StarterStub.Queries queries = StarterStub.queries(dataSource);
					yield queries::select;
				}
				case "advisor-only" -> {
					StarterStub.Queries queries = StarterStub.queries(stub);
					yield () -> queries.compute(7);
				}
				default -> {
					DataSource dataSource = factories.get(name).apply(stub);
					yield () -> selectOne(dataSource);
				}
			});
		}
		Map<String, List<Double>> nanos = new LinkedHashMap<>();
		variants.keySet().forEach((name) -> nanos.put(name, new ArrayList<>()));
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		int ops = Integer.getInteger("bench.ops", 200_000);
		int rounds = Integer.getInteger("bench.rounds", 25);
		for (int round = 0; round < rounds; round++) {
			for (Map.Entry<String, Operation> variant : variants.entrySet()) {
				Operation operation = variant.getValue();
				long start = threads.getCurrentThreadCpuTime();
				for (int i = 0; i < ops; i++) {
					operation.run();
				}
				if (round >= 5) {
					nanos.get(variant.getKey()).add((threads.getCurrentThreadCpuTime() - start) / (double) ops);
				}
			}
		}
		double raw = median(nanos.get("raw"));
		Double hikari = nanos.containsKey("hikari") ? median(nanos.get("hikari")) : null;
		System.out.printf("%-18s %12s %12s %12s%n", "variant", "cpu ns/op", "added ns", "vs hikari");
		for (String name : variants.keySet()) {
			double value = median(nanos.get(name));
			System.out.printf("%-18s %12.0f %12.0f %12s%n", name, value, value - raw,
					(hikari != null) ? String.format("%.0f", value - hikari) : "");
		}
		for (AutoCloseable pool : pools) {
			pool.close();
		}
	}

	/**
	 * One stub variant as a {@link Runnable}, for {@link StubBuildComparison}, which
	 * loads two builds of this class side by side.
	 * @param name the variant
	 * @return one operation per run
	 */
	public static Runnable stubOperation(String name) throws Exception {
		DataSource stub = JdbcStub.dataSource();
		Operation operation = switch (name) {
			case "raw" -> () -> selectOne(stub);
			case "hikari" -> operation(StarterStub.hikari(stub, null), new ArrayList<>());
			case "starter-ds" -> operation(StarterStub.dataSource(stub), new ArrayList<>());
			case "starter-bean" -> StarterStub.queries(StarterStub.dataSource(stub))::select;
			case "advisor-only" -> {
				StarterStub.Queries queries = StarterStub.queries(stub);
				yield () -> queries.compute(7);
			}
			default -> {
				DataSource dataSource = factories().get(name).apply(stub);
				yield () -> selectOne(dataSource);
			}
		};
		return () -> {
			try {
				operation.run();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		};
	}

	private static Operation operation(DataSource dataSource, List<AutoCloseable> pools) {
		pools.add((AutoCloseable) dataSource);
		return () -> selectOne(dataSource);
	}

	/** One measured operation. */
	interface Operation {

		void run() throws Exception;

	}

	private static double sum(List<Double> values) {
		return values.stream().mapToDouble(Double::doubleValue).sum();
	}

	/** Mean after dropping the given share of the lowest and of the highest values. */
	private static double trimmedMean(List<Double> values, double share) {
		double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		int drop = (int) (sorted.length * share);
		return Arrays.stream(sorted, drop, sorted.length - drop).average().orElse(Double.NaN);
	}

	private static double median(List<Double> values) {
		double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		int n = sorted.length;
		return (n % 2 == 1) ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	}

	/** datasource-proxy's listener API feeding the same observer as our wrapper. */
	static final class ObserverListener implements QueryExecutionListener {

		private final QueryObserver observer;

		ObserverListener(QueryObserver observer) {
			this.observer = observer;
		}

		@Override
		public void beforeQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {
		}

		@Override
		public void afterQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {
			String sql = queryInfoList.isEmpty() ? "" : queryInfoList.get(0).getQuery();
			StatementShape shape = this.observer.shapeOf(sql);
			if (execInfo.isSuccess()) {
				this.observer.succeeded(shape, sql, execInfo.getElapsedTime(), null);
			}
			else {
				this.observer.failed(shape, sql, execInfo.getElapsedTime(), execInfo.getThrowable(), null);
			}
		}

	}

	/** Skips datasource-proxy's synchronized open-id bookkeeping. */
	static final class ConstantConnectionIdManager implements ConnectionIdManager {

		@Override
		public String getId(Connection connection) {
			return "0";
		}

		@Override
		public void addClosedId(String closedId) {
		}

		@Override
		public java.util.Set<String> getOpenConnectionIds() {
			return java.util.Set.of();
		}

	}

}
