package dev.dbpool.observe;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Two builds of the starter in one JVM, each in its own class loader, measured in
 * alternating rounds on the in-memory JDBC stub: the difference of CPU per operation
 * between them without the noise of separate JVMs (JIT decisions, the machine's load at
 * the time). Not a test. Run it with the JDBC stub's dependencies on the class path and
 * neither build on it (see docs/benchmarks.md):
 * {@code java -cp DEPS StubBuildComparison.java BEFORE_CLASSES AFTER_CLASSES TEST_CLASSES variant...}.
 */
public final class StubBuildComparison {

	private StubBuildComparison() {
	}

	public static void main(String[] args) throws Exception {
		Path before = Path.of(args[0]);
		Path after = Path.of(args[1]);
		Path tests = Path.of(args[2]);
		List<String> variants = Arrays.asList(args).subList(3, args.length);
		int ops = Integer.getInteger("bench.ops", 200_000);
		int rounds = Integer.getInteger("bench.rounds", 30);
		int warmup = 5;
		Runnable[][] operations = new Runnable[2][variants.size()];
		Path[] builds = { before, after };
		for (int side = 0; side < 2; side++) {
			ClassLoader loader = new URLClassLoader(new URL[] { tests.toUri().toURL(), builds[side].toUri().toURL() },
					StubBuildComparison.class.getClassLoader());
			Class<?> benchmark = Class.forName("dev.dbpool.observe.ObservationOverheadBenchmark", true, loader);
			for (int v = 0; v < variants.size(); v++) {
				operations[side][v] = (Runnable) benchmark.getMethod("stubOperation", String.class)
					.invoke(null, variants.get(v));
			}
		}
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		double[][][] nanos = new double[2][variants.size()][rounds];
		for (int round = 0; round < warmup + rounds; round++) {
			for (int v = 0; v < variants.size(); v++) {
				// Alternate which build goes first.
				for (int k = 0; k < 2; k++) {
					int side = (round + k) % 2;
					Runnable operation = operations[side][v];
					long start = threads.getCurrentThreadCpuTime();
					for (int i = 0; i < ops; i++) {
						operation.run();
					}
					if (round >= warmup) {
						nanos[side][v][round - warmup] = (threads.getCurrentThreadCpuTime() - start) / (double) ops;
					}
				}
			}
		}
		System.out.printf("%-14s %10s %10s %14s %s%n", "variant", "before", "after", "after-before",
				"(median of paired rounds, min to max of the middle half)");
		for (int v = 0; v < variants.size(); v++) {
			List<Double> differences = new ArrayList<>();
			for (int r = 0; r < rounds; r++) {
				differences.add(nanos[1][v][r] - nanos[0][v][r]);
			}
			double[] sorted = differences.stream().mapToDouble(Double::doubleValue).sorted().toArray();
			System.out.printf("%-14s %10.0f %10.0f %14.0f (%.0f to %.0f)%n", variants.get(v), median(nanos[0][v]),
					median(nanos[1][v]), median(sorted), sorted[rounds / 4], sorted[rounds - 1 - rounds / 4]);
		}
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int n = sorted.length;
		return (n % 2 == 1) ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	}

}
