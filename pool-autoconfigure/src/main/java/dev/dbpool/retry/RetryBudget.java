package dev.dbpool.retry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Caps retries of availability failures to a share of recent calls plus a small floor, so
 * that an outage does not multiply the load on a database that is already struggling.
 * Calls and retries are counted in ten buckets spanning the window; a retry is allowed
 * while {@code retries < ratio * calls + minRetriesPerSecond * windowSeconds} over the
 * window.
 * <p>
 * Recording a call is a lock-free, striped increment (every call records one, so threads
 * on different cores must not contend for one counter); only taking a retry synchronizes,
 * so that concurrent failures cannot overdraw the budget.
 */
public final class RetryBudget {

	private static final int BUCKETS = 10;

	private final double ratio;

	private final double floor;

	private final long bucketNanos;

	private final LongSupplier nanoClock;

	private final AtomicLongArray bucketEpochs = new AtomicLongArray(BUCKETS);

	private final LongAdder[] calls = new LongAdder[BUCKETS];

	private final AtomicLongArray retries = new AtomicLongArray(BUCKETS);

	/**
	 * A budget on the system clock.
	 * @param ratio retries allowed as a share of calls in the window
	 * @param minRetriesPerSecond retries always allowed per second
	 * @param window the window over which calls and retries are counted
	 */
	public RetryBudget(double ratio, int minRetriesPerSecond, Duration window) {
		this(ratio, minRetriesPerSecond, window, System::nanoTime);
	}

	RetryBudget(double ratio, int minRetriesPerSecond, Duration window, LongSupplier nanoClock) {
		if (ratio < 0) {
			throw new IllegalArgumentException("ratio must not be negative, was " + ratio);
		}
		if (minRetriesPerSecond < 0) {
			throw new IllegalArgumentException("minRetriesPerSecond must not be negative, was " + minRetriesPerSecond);
		}
		if (window.toMillis() < BUCKETS) {
			throw new IllegalArgumentException("window must be at least " + BUCKETS + "ms, was " + window);
		}
		this.ratio = ratio;
		this.floor = minRetriesPerSecond * (window.toMillis() / 1000.0);
		this.bucketNanos = window.toNanos() / BUCKETS;
		this.nanoClock = nanoClock;
		long epoch = currentEpoch();
		for (int i = 0; i < BUCKETS; i++) {
			this.calls[i] = new LongAdder();
			this.bucketEpochs.set(i, epoch - BUCKETS);
		}
	}

	/** Count a call (a first attempt). */
	public void recordCall() {
		this.calls[currentBucket()].increment();
	}

	/**
	 * Take one retry from the budget if any is left.
	 * @return whether the retry may go ahead
	 */
	public synchronized boolean tryAcquireRetry() {
		currentBucket();
		if (retriesInWindow() < allowedInWindow()) {
			this.retries.incrementAndGet(currentBucket());
			return true;
		}
		return false;
	}

	/**
	 * Calls counted in the current window.
	 * @return the number of calls
	 */
	public long callsInWindow() {
		currentBucket();
		long total = 0;
		for (LongAdder bucket : this.calls) {
			total += bucket.sum();
		}
		return total;
	}

	/**
	 * Retries taken in the current window.
	 * @return the number of retries
	 */
	public long retriesInWindow() {
		currentBucket();
		return sum(this.retries);
	}

	/**
	 * Retries the budget allows in the current window, taken or not.
	 * @return the allowance, rounded down
	 */
	public long allowedInWindow() {
		return (long) (this.ratio * callsInWindow() + this.floor);
	}

	private long sum(AtomicLongArray counters) {
		long total = 0;
		for (int i = 0; i < BUCKETS; i++) {
			total += counters.get(i);
		}
		return total;
	}

	private long currentEpoch() {
		return Math.floorDiv(this.nanoClock.getAsLong(), this.bucketNanos);
	}

	/** Index of the bucket for now, clearing buckets that fell out of the window. */
	private int currentBucket() {
		long epoch = currentEpoch();
		int index = (int) Math.floorMod(epoch, BUCKETS);
		if (this.bucketEpochs.get(index) != epoch) {
			rotate(epoch);
		}
		return index;
	}

	private synchronized void rotate(long epoch) {
		for (long e = epoch - BUCKETS + 1; e <= epoch; e++) {
			int index = (int) Math.floorMod(e, BUCKETS);
			if (this.bucketEpochs.get(index) < e) {
				this.calls[index].reset();
				this.retries.set(index, 0);
				this.bucketEpochs.set(index, e);
			}
		}
	}

}
