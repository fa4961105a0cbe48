package dev.dbpool.sample.loadtest;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

/**
 * What the virtual users measure, recorded without locks: connection acquisition and
 * query execution times in two HdrHistogram {@link Recorder}s (microseconds, 3
 * significant digits), counters per outcome, and the in-flight count with its peak. One
 * reader (the progress thread, then the report) drains the recorders into cumulative
 * histograms.
 */
public final class LoadTestMeasurements {

	private static final int SIGNIFICANT_DIGITS = 3;

	private final long slowQueryThresholdNanos;

	private final Recorder acquisitionRecorder = new Recorder(SIGNIFICANT_DIGITS);

	private final Recorder executionRecorder = new Recorder(SIGNIFICANT_DIGITS);

	private final Histogram acquisitionTotal = new Histogram(SIGNIFICANT_DIGITS);

	private final Histogram executionTotal = new Histogram(SIGNIFICANT_DIGITS);

	private @Nullable Histogram acquisitionInterval;

	private @Nullable Histogram executionInterval;

	private final LongAdder successful = new LongAdder();

	private final LongAdder slowQueries = new LongAdder();

	private final Map<FailureKind, LongAdder> failures = new EnumMap<>(FailureKind.class);

	static final int MAX_EXAMPLE_LENGTH = 200;

	private final Map<FailureKind, AtomicReference<@Nullable String>> firstFailures = new EnumMap<>(FailureKind.class);

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicInteger peakInFlight = new AtomicInteger();

	/**
	 * Create empty measurements.
	 * @param slowQueryThresholdNanos execution time from which a query counts as slow
	 */
	public LoadTestMeasurements(long slowQueryThresholdNanos) {
		this.slowQueryThresholdNanos = slowQueryThresholdNanos;
		for (FailureKind kind : FailureKind.values()) {
			this.failures.put(kind, new LongAdder());
			this.firstFailures.put(kind, new AtomicReference<>());
		}
	}

	/** A user starts a unit of work: it is in flight until {@link #finished()}. */
	public void started() {
		int now = this.inFlight.incrementAndGet();
		int peak = this.peakInFlight.get();
		while (now > peak && !this.peakInFlight.compareAndSet(peak, now)) {
			peak = this.peakInFlight.get();
		}
	}

	public void finished() {
		this.inFlight.decrementAndGet();
	}

	public void connectionAcquired(long nanos) {
		this.acquisitionRecorder.recordValue(micros(nanos));
	}

	/**
	 * Borrowing failed. The wait still counts as acquisition time: it is what the caller
	 * waited.
	 */
	public void connectionFailed(long nanos, FailureKind kind, Throwable failure) {
		this.acquisitionRecorder.recordValue(micros(nanos));
		failed(kind, failure);
	}

	public void querySucceeded(long nanos) {
		this.executionRecorder.recordValue(micros(nanos));
		this.successful.increment();
		if (nanos >= this.slowQueryThresholdNanos) {
			this.slowQueries.increment();
		}
	}

	public void queryFailed(long nanos, Throwable failure) {
		this.executionRecorder.recordValue(micros(nanos));
		failed(FailureKind.QUERY_ERROR, failure);
	}

	private void failed(FailureKind kind, Throwable failure) {
		this.failures.get(kind).increment();
		AtomicReference<@Nullable String> first = this.firstFailures.get(kind);
		if (first.get() == null) {
			first.compareAndSet(null, example(failure));
		}
	}

	/**
	 * The first line of the message, cut short: pgjdbc puts the server's {@code Detail}
	 * and {@code Where} lines, which quote row values and SQL, on the lines after it.
	 */
	static String example(Throwable failure) {
		String message = String.valueOf(failure.getMessage()).strip();
		int newline = message.indexOf('\n');
		String first = ((newline >= 0) ? message.substring(0, newline) : message).strip();
		return (first.length() > MAX_EXAMPLE_LENGTH) ? first.substring(0, MAX_EXAMPLE_LENGTH) + "..." : first;
	}

	/**
	 * Move what was recorded since the last drain into the totals; the drained interval
	 * stays readable through {@link #interval()} until the next drain. Call from one
	 * thread at a time.
	 */
	public synchronized Interval drain() {
		this.acquisitionInterval = this.acquisitionRecorder.getIntervalHistogram(this.acquisitionInterval);
		this.executionInterval = this.executionRecorder.getIntervalHistogram(this.executionInterval);
		this.acquisitionTotal.add(this.acquisitionInterval);
		this.executionTotal.add(this.executionInterval);
		return interval();
	}

	/** The interval drained last. */
	public synchronized Interval interval() {
		return new Interval(p95Millis(this.acquisitionInterval), p95Millis(this.executionInterval));
	}

	public long successful() {
		return this.successful.sum();
	}

	public long failures(FailureKind kind) {
		return this.failures.get(kind).sum();
	}

	public long failures() {
		long total = 0;
		for (LongAdder adder : this.failures.values()) {
			total += adder.sum();
		}
		return total;
	}

	/** Message of the first failure of a kind, to show what went wrong. */
	public @Nullable String firstFailure(FailureKind kind) {
		return this.firstFailures.get(kind).get();
	}

	public long slowQueries() {
		return this.slowQueries.sum();
	}

	public int inFlight() {
		return this.inFlight.get();
	}

	public int peakInFlight() {
		return this.peakInFlight.get();
	}

	/** Everything drained so far; drain first for the full picture. */
	public synchronized Histogram acquisitionTotal() {
		return this.acquisitionTotal.copy();
	}

	public synchronized Histogram executionTotal() {
		return this.executionTotal.copy();
	}

	private static double p95Millis(@Nullable Histogram histogram) {
		if (histogram == null || histogram.getTotalCount() == 0) {
			return 0;
		}
		return histogram.getValueAtPercentile(95) / 1000.0;
	}

	private static long micros(long nanos) {
		return Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos));
	}

	/** Percentiles of one drained interval, for the progress line. */
	public record Interval(double acquisitionP95Millis, double executionP95Millis) {

	}

}
