package dev.dbpool.datasource;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.config.SettingValues;

/**
 * What {@code db.pool.fair-admission} costs and buys, against an in-memory JDBC stub (no
 * network, no server), run by hand (see {@code docs/virtual-threads.md}):
 * {@code uncontended} measures the CPU of one borrow and close on a single thread,
 * HikariCP alone against HikariCP behind the fair queue, in interleaved rounds;
 * {@code contended} runs many threads borrowing from a small pool and reports throughput
 * and the longest wait of each.
 */
public final class FairAdmissionOverheadBenchmark {

	private FairAdmissionOverheadBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		String mode = (args.length > 0) ? args[0] : "uncontended";
		if (mode.equals("contended")) {
			int threads = (args.length > 1) ? Integer.parseInt(args[1]) : 200;
			int connections = (args.length > 2) ? Integer.parseInt(args[2]) : 4;
			long millis = (args.length > 3) ? Long.parseLong(args[3]) : 5000;
			for (boolean fair : new boolean[] { false, true, false, true }) {
				contended(fair, threads, connections, millis);
			}
		}
		else {
			int rounds = (args.length > 1) ? Integer.parseInt(args[1]) : 20;
			int operations = (args.length > 2) ? Integer.parseInt(args[2]) : 200_000;
			uncontended(rounds, operations);
		}
	}

	private static void uncontended(int rounds, int operations) throws SQLException {
		Map<String, HikariDataSource> variants = new LinkedHashMap<>();
		variants.put("hikari", pool(false, 10, "10s"));
		variants.put("fair", pool(true, 10, "10s"));
		Map<String, List<Double>> results = new LinkedHashMap<>();
		variants.keySet().forEach((name) -> results.put(name, new ArrayList<>()));
		List<Double> added = new ArrayList<>();
		List<String> names = new ArrayList<>(variants.keySet());
		for (int warmUp = 0; warmUp < 5; warmUp++) {
			for (HikariDataSource pool : variants.values()) {
				cpuPerBorrow(pool, operations);
			}
		}
		for (int round = 0; round < rounds; round++) {
			Map<String, Double> thisRound = new LinkedHashMap<>();
			// Alternate the order, so that neither variant always runs first.
			List<String> order = new ArrayList<>(names);
			if (round % 2 == 1) {
				Collections.reverse(order);
			}
			for (String name : order) {
				thisRound.put(name, cpuPerBorrow(variants.get(name), operations));
			}
			thisRound.forEach((name, ns) -> results.get(name).add(ns));
			added.add(thisRound.get("fair") - thisRound.get("hikari"));
		}
		results.forEach((name, values) -> System.out.printf("%-7s median %.1f ns CPU per borrow and close%n", name,
				median(values)));
		System.out.printf("added by the fair queue: median %.1f ns (rounds from %.1f to %.1f)%n", median(added),
				Collections.min(added), Collections.max(added));
		variants.values().forEach(HikariDataSource::close);
	}

	private static double cpuPerBorrow(DataSource pool, int operations) throws SQLException {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long start = threads.getCurrentThreadCpuTime();
		for (int i = 0; i < operations; i++) {
			pool.getConnection().close();
		}
		return (threads.getCurrentThreadCpuTime() - start) / (double) operations;
	}

	private static void contended(boolean fair, int threadCount, int connections, long millis) throws Exception {
		try (HikariDataSource pool = pool(fair, connections, "2s")) {
			AtomicLong borrows = new AtomicLong();
			AtomicLong timeouts = new AtomicLong();
			LongAccumulator longestWait = new LongAccumulator(Math::max, 0);
			long deadline = System.nanoTime() + millis * 1_000_000;
			List<Thread> threads = new ArrayList<>();
			for (int i = 0; i < threadCount; i++) {
				Thread thread = new Thread(() -> {
					while (System.nanoTime() < deadline) {
						long start = System.nanoTime();
						try (Connection connection = pool.getConnection()) {
							longestWait.accumulate(System.nanoTime() - start);
							borrows.incrementAndGet();
							// A little work while the connection is held.
							long until = System.nanoTime() + 20_000;
							while (System.nanoTime() < until) {
								Thread.onSpinWait();
							}
						}
						catch (SQLException ex) {
							timeouts.incrementAndGet();
						}
					}
				});
				threads.add(thread);
				thread.start();
			}
			for (Thread thread : threads) {
				thread.join();
			}
			System.out.printf("%-6s %d threads on %d connections: %,d borrows/s, longest wait %.1f ms, %d timeouts%n",
					fair ? "fair" : "hikari", threadCount, connections, borrows.get() * 1000 / millis,
					longestWait.get() / 1e6, timeouts.get());
		}
	}

	private static HikariDataSource pool(boolean fair, int connections, String poolTimeout) {
		SettingValues values = SettingValues.of(Map.of("db.pool.url", "postgresql://stub@localhost:5432/stub",
				"db.pool.connection-limit", Integer.toString(connections), "db.pool.pool-timeout", poolTimeout,
				"db.pool.fair-admission", Boolean.toString(fair)), Map.of());
		PoolDefinition definition = new PoolSettingsResolver(values, Map.of(), "bench").resolve(null);
		DataSource stub = stub(DataSource.class, stub(Connection.class, null));
		return PoolDataSourceFactory.create(definition, true, List.of((config) -> config.setDataSource(stub)));
	}

	@SuppressWarnings("unchecked")
	private static <T> T stub(Class<T> type, Object connection) {
		return (T) Proxy.newProxyInstance(FairAdmissionOverheadBenchmark.class.getClassLoader(),
				new Class<?>[] { type }, (proxy, method, args) -> switch (method.getName()) {
					case "getConnection" -> connection;
					case "isValid" -> true;
					case "hashCode" -> System.identityHashCode(proxy);
					case "equals" -> proxy == args[0];
					case "toString" -> "stub";
					default -> (method.getReturnType() == boolean.class) ? false
							: (method.getReturnType() == int.class) ? 0 : null;
				});
	}

	private static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		return sorted.get(sorted.size() / 2);
	}

}
