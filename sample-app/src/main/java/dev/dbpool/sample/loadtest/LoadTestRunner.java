package dev.dbpool.sample.loadtest;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import dev.dbpool.sample.loadtest.LoadTestReport.Concurrency;
import dev.dbpool.sample.loadtest.LoadTestReport.Configuration;
import dev.dbpool.sample.loadtest.LoadTestReport.Errors;
import dev.dbpool.sample.loadtest.LoadTestReport.Latency;
import dev.dbpool.sample.loadtest.LoadTestReport.Performance;

/**
 * Runs the load: one thread per virtual user (platform or virtual, as the options say),
 * started evenly over the ramp-up, each borrowing a connection, running one unit of work
 * and giving the connection back, in a loop until the duration is over. The time to
 * borrow and the time to run are measured apart. A progress line is printed every second.
 */
public final class LoadTestRunner {

	private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);

	/** Extra time users get to finish their last unit of work after the duration. */
	private static final Duration STOP_GRACE = Duration.ofSeconds(30);

	private final PoolUnderTest pool;

	private final LoadTestWorkload workload;

	private final LoadTestOptions options;

	private final PrintStream progress;

	private final AtomicInteger startedUsers = new AtomicInteger();

	private volatile boolean stopRequested;

	private volatile List<Thread> users = List.of();

	public LoadTestRunner(PoolUnderTest pool, LoadTestWorkload workload, LoadTestOptions options,
			PrintStream progress) {
		this.pool = pool;
		this.workload = workload;
		this.options = options;
		this.progress = progress;
	}

	/**
	 * Ask the virtual users to stop after their current unit of work and wait for them,
	 * as when the application shuts down: their connections go back to the pool before it
	 * closes.
	 * @param timeout longest time to wait for the users
	 * @throws InterruptedException when interrupted while waiting
	 */
	public void stop(Duration timeout) throws InterruptedException {
		this.stopRequested = true;
		long deadline = System.nanoTime() + timeout.toNanos();
		for (Thread user : this.users) {
			long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
			if (remaining <= 0) {
				return;
			}
			user.join(remaining);
		}
	}

	/** Whether {@link #stop(Duration)} cut the run short. */
	public boolean isStopped() {
		return this.stopRequested;
	}

	/**
	 * Run the load test and build its report.
	 * @return the report, assessment included
	 * @throws InterruptedException when this thread is interrupted while waiting
	 */
	public LoadTestReport run() throws InterruptedException {
		LoadTestMeasurements measurements = new LoadTestMeasurements(this.pool.slowQueryThreshold().toNanos());
		int users = this.options.concurrent();
		long start = System.nanoTime();
		long deadline = start + this.options.duration().toNanos();
		long rampUp = this.options.rampUp().toNanos();
		List<Thread> threads = new ArrayList<>(users);
		ThreadFactory threadFactory = clientThreads().threadFactory();
		for (int i = 0; i < users; i++) {
			long startAt = start + rampUp * i / users;
			Thread user = threadFactory.newThread(() -> runUser(measurements, startAt, deadline));
			user.setName("loadtest-user-" + (i + 1));
			threads.add(user);
		}
		this.users = List.copyOf(threads);
		for (Thread user : threads) {
			user.start();
		}
		awaitUsers(threads, measurements, start, deadline);
		long elapsed = System.nanoTime() - start;
		measurements.drain();
		int finalActive = this.pool.activeConnections().getAsInt();
		return report(measurements, elapsed, finalActive);
	}

	private ClientThreads clientThreads() {
		ClientThreads threads = this.options.threads();
		return (threads != null) ? threads : ClientThreads.PLATFORM;
	}

	private void awaitUsers(List<Thread> threads, LoadTestMeasurements measurements, long start, long deadline)
			throws InterruptedException {
		long giveUpAt = deadline + this.pool.poolTimeout().toNanos() + this.options.holdTime().toNanos()
				+ STOP_GRACE.toNanos();
		long nextTick = start + PROGRESS_INTERVAL.toNanos();
		long lastTick = start;
		long lastSuccessful = 0;
		for (Thread thread : threads) {
			while (thread.isAlive()) {
				long now = System.nanoTime();
				if (now >= giveUpAt) {
					interruptAll(threads);
					thread.join(TimeUnit.SECONDS.toMillis(5));
					break;
				}
				if (now >= nextTick) {
					long successful = measurements.successful();
					printProgress(measurements.drain(), measurements, now - start, successful - lastSuccessful,
							now - lastTick);
					lastSuccessful = successful;
					lastTick = now;
					nextTick += PROGRESS_INTERVAL.toNanos();
				}
				long wait = Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(nextTick, giveUpAt) - now));
				thread.join(wait);
			}
		}
	}

	private static void interruptAll(List<Thread> threads) {
		for (Thread thread : threads) {
			thread.interrupt();
		}
	}

	private void printProgress(LoadTestMeasurements.Interval interval, LoadTestMeasurements measurements,
			long elapsedNanos, long successfulInInterval, long intervalNanos) {
		double throughput = (intervalNanos > 0) ? successfulInInterval * 1e9 / intervalNanos : 0;
		this.progress.println(String.format(Locale.ROOT,
				"[%4ds/%ds] users %d/%d | ok %,d | %.1f q/s | acquire p95 %.2f ms | query p95 %.2f ms | "
						+ "errors %,d | in flight %d",
				TimeUnit.NANOSECONDS.toSeconds(elapsedNanos), this.options.duration().toSeconds(),
				this.startedUsers.get(), this.options.concurrent(), measurements.successful(), throughput,
				interval.acquisitionP95Millis(), interval.executionP95Millis(), measurements.failures(),
				measurements.inFlight()));
		this.progress.flush();
	}

	private void runUser(LoadTestMeasurements measurements, long startAt, long deadline) {
		if (!parkUntil(startAt)) {
			return;
		}
		this.startedUsers.incrementAndGet();
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long holdNanos = this.options.holdTime().toNanos();
		while (System.nanoTime() < deadline && !this.stopRequested && !Thread.currentThread().isInterrupted()) {
			measurements.started();
			try {
				runOnce(measurements, random, holdNanos);
			}
			finally {
				measurements.finished();
			}
		}
	}

	private void runOnce(LoadTestMeasurements measurements, ThreadLocalRandom random, long holdNanos) {
		long begin = System.nanoTime();
		Connection connection;
		try {
			connection = this.pool.dataSource().getConnection();
		}
		catch (SQLException ex) {
			measurements.connectionFailed(System.nanoTime() - begin, FailureKind.ofAcquisition(ex), ex);
			return;
		}
		long acquired = System.nanoTime();
		measurements.connectionAcquired(acquired - begin);
		long executionNanos = -1;
		// Success is recorded only once the connection is back in the pool: a failure to
		// return it fails the unit of work.
		try (Connection borrowed = connection) {
			this.workload.execute(borrowed, this.options.queryType(), random);
			executionNanos = System.nanoTime() - acquired;
			if (holdNanos > 0) {
				parkUntil(System.nanoTime() + holdNanos);
			}
		}
		catch (SQLException | RuntimeException ex) {
			measurements.queryFailed((executionNanos >= 0) ? executionNanos : System.nanoTime() - acquired, ex);
			return;
		}
		measurements.querySucceeded(executionNanos);
	}

	/** Park until the given time; false when interrupted or stopped first. */
	private boolean parkUntil(long nanoTime) {
		long remaining;
		while ((remaining = nanoTime - System.nanoTime()) > 0) {
			LockSupport.parkNanos(Math.min(remaining, PROGRESS_INTERVAL.toNanos()));
			if (Thread.currentThread().isInterrupted() || this.stopRequested) {
				return false;
			}
		}
		return true;
	}

	private LoadTestReport report(LoadTestMeasurements measurements, long elapsedNanos, int finalActive) {
		double elapsedSeconds = elapsedNanos / 1e9;
		long successful = measurements.successful();
		long failed = measurements.failures();
		long total = successful + failed;
		Configuration configuration = new Configuration(this.options.concurrent(),
				LoadTestReport.round(this.options.duration().toMillis() / 1000.0),
				LoadTestReport.round(this.options.rampUp().toMillis() / 1000.0), this.options.queryType().label(),
				this.options.holdTime().toMillis(), this.pool.database(), this.pool.connectionLimit(),
				this.pool.poolTimeout().toMillis(),
				LoadTestReport.round(this.pool.slowQueryThreshold().toNanos() / 1e6), clientThreads().label());
		Performance performance = new Performance(total, successful, percent(successful, total), failed,
				LoadTestReport.round((elapsedSeconds > 0) ? successful / elapsedSeconds : 0),
				LoadTestReport.round(elapsedSeconds));
		Latency acquisition = Latency.of(measurements.acquisitionTotal());
		Latency execution = Latency.of(measurements.executionTotal());
		Map<String, String> examples = new LinkedHashMap<>();
		for (FailureKind kind : FailureKind.values()) {
			String first = measurements.firstFailure(kind);
			if (first != null) {
				examples.put(kind.jsonName(), first);
			}
		}
		Errors errors = new Errors(failed, measurements.failures(FailureKind.CONNECTION_ERROR),
				measurements.failures(FailureKind.POOL_TIMEOUT), measurements.failures(FailureKind.QUERY_ERROR),
				percent(failed, total), measurements.slowQueries(), examples);
		Concurrency concurrency = new Concurrency(measurements.peakInFlight(), finalActive);
		return new LoadTestReport(configuration, performance, acquisition, execution, errors, concurrency,
				LoadAssessment.assess(performance, acquisition, execution, errors));
	}

	static double percent(long part, long total) {
		return (total > 0) ? LoadTestReport.round(part * 100.0 / total) : 0;
	}

}
