package dev.dbpool.benchmark;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

import dev.dbpool.benchmark.Variant.Operation;

/** Runs a variant for a fixed time on N threads, or for N operations on one thread. */
final class Measurement {

	/** Where results go so that the JIT cannot drop the loops that computed them. */
	private static volatile long consumed;

	private Measurement() {
	}

	/** Operations per second with {@code threads} threads for {@code duration}. */
	static Throughput throughput(Variant variant, Operation operation, int threads, Duration duration)
			throws InterruptedException {
		LongAdder operations = new LongAdder();
		LongAdder errors = new LongAdder();
		LongAdder workerCpuNanos = new LongAdder();
		ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
		CountDownLatch ready = new CountDownLatch(threads);
		CountDownLatch go = new CountDownLatch(1);
		long[] deadline = new long[1];
		List<Thread> workers = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			Thread worker = new Thread(() -> {
				ready.countDown();
				try {
					go.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
				long cpuStart = threadBean.getCurrentThreadCpuTime();
				while (System.nanoTime() < deadline[0]) {
					try {
						variant.run(operation);
						operations.increment();
					}
					catch (Exception ex) {
						errors.increment();
					}
				}
				workerCpuNanos.add(threadBean.getCurrentThreadCpuTime() - cpuStart);
			}, "bench-" + i);
			workers.add(worker);
			worker.start();
		}
		ready.await();
		long start = System.nanoTime();
		deadline[0] = start + duration.toNanos();
		go.countDown();
		for (Thread worker : workers) {
			worker.join();
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		long count = operations.sum();
		return new Throughput(count / seconds, errors.sum(),
				(count > 0) ? workerCpuNanos.sum() / 1000.0 / count : Double.NaN);
	}

	/**
	 * CPU time of the calling thread (the work a query costs the application's thread:
	 * the pool, the wrappers, the driver) and wall time, each per operation, running
	 * {@code count} operations on one thread.
	 */
	static Cost cost(Variant variant, Operation operation, int count) throws Exception {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long threadStart = threads.getCurrentThreadCpuTime();
		long wallStart = System.nanoTime();
		for (int i = 0; i < count; i++) {
			variant.run(operation);
		}
		long wall = System.nanoTime() - wallStart;
		long thread = threads.getCurrentThreadCpuTime() - threadStart;
		return new Cost(thread / 1000.0 / count, wall / 1000.0 / count);
	}

	/**
	 * Calling-thread CPU nanoseconds per call of {@code retried.compute} minus the same
	 * call on an unproxied instance: the retry advisor and its Spring proxy on their own,
	 * without the database's noise. Median of several rounds after a warm-up.
	 */
	static double advisorNanos(BenchmarkQueries retried, BenchmarkQueries plain) {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		int calls = 1_000_000;
		long sink = 0;
		List<Double> deltas = new ArrayList<>();
		for (int round = 0; round < 8; round++) {
			long start = threads.getCurrentThreadCpuTime();
			for (int i = 0; i < calls; i++) {
				sink += plain.compute(i);
			}
			long middle = threads.getCurrentThreadCpuTime();
			for (int i = 0; i < calls; i++) {
				sink += retried.compute(i);
			}
			long end = threads.getCurrentThreadCpuTime();
			if (round >= 2) {
				deltas.add(((end - middle) - (middle - start)) / (double) calls);
			}
		}
		consumed = sink;
		return PoolBenchmark.Results.median(deltas);
	}

	/**
	 * Operations per second, failed operations, and the CPU time of the threads that ran
	 * them, per operation in microseconds (measured per thread, to the nanosecond; the
	 * process-wide figure the JVM offers here moves in 10 ms steps).
	 */
	record Throughput(double perSecond, long errors, double threadCpuMicros) {

	}

	/** Microseconds per operation. */
	record Cost(double cpuMicros, double wallMicros) {

	}

}
