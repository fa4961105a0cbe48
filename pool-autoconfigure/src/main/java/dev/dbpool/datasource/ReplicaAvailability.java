package dev.dbpool.datasource;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the read replica is believed to be up. After a failed connection attempt the
 * replica is skipped for the retry interval, so that read-only work does not wait for a
 * dead server on every call; then a single caller probes it again. Warnings are
 * rate-limited: one when the replica goes down, then at most one per warn interval while
 * it stays down, each with the number of fallbacks since the last one.
 */
public final class ReplicaAvailability {

	private static final Logger logger = LoggerFactory.getLogger(ReplicaRoutingDataSource.class);

	private final String poolName;

	private final long retryIntervalNanos;

	private final long warnIntervalNanos;

	private final LongSupplier nanoClock;

	/** 0 when the replica is up; otherwise the nano time from which it may be probed. */
	private final AtomicLong nextProbeAt = new AtomicLong();

	private final AtomicLong fallbacks = new AtomicLong();

	private final AtomicLong fallbacksSinceWarning = new AtomicLong();

	private final AtomicLong lastWarningAt = new AtomicLong();

	private volatile @Nullable String lastFailure;

	/**
	 * Create the availability tracker of one replica pool.
	 * @param poolName the replica pool's name, for log lines
	 * @param retryInterval how long the replica is skipped after a failure
	 * @param warnInterval shortest time between two warnings while it stays down
	 * @param nanoClock source of {@link System#nanoTime()}-like values
	 */
	public ReplicaAvailability(String poolName, Duration retryInterval, Duration warnInterval, LongSupplier nanoClock) {
		this.poolName = poolName;
		this.retryIntervalNanos = Math.max(1, retryInterval.toNanos());
		this.warnIntervalNanos = warnInterval.toNanos();
		this.nanoClock = nanoClock;
	}

	/**
	 * Whether this caller should try the replica: always while it is up; once it is down,
	 * only the first caller after the retry interval (the probe).
	 * @return true to try the replica, false to go to the primary straight away
	 */
	public boolean shouldTryReplica() {
		long probeAt = this.nextProbeAt.get();
		if (probeAt == 0) {
			return true;
		}
		long now = this.nanoClock.getAsLong();
		// Only one caller wins the probe; the others keep going to the primary.
		return now - probeAt >= 0 && this.nextProbeAt.compareAndSet(probeAt, now + this.retryIntervalNanos);
	}

	/** Record a connection obtained from the replica. */
	public void succeeded() {
		if (this.nextProbeAt.get() != 0 && this.nextProbeAt.getAndSet(0) != 0) {
			logger.info(
					"Read replica pool '{}' is available again; read-only transactions use it "
							+ "({} went to the primary meanwhile)",
					this.poolName, this.fallbacksSinceWarning.getAndSet(0));
		}
	}

	/**
	 * Record a failed attempt to get a replica connection; read-only work now goes to the
	 * primary until the retry interval has passed.
	 * @param failure why the replica could not be used
	 */
	public void failed(SQLException failure) {
		long now = this.nanoClock.getAsLong();
		this.lastFailure = describe(failure);
		boolean wasUp = this.nextProbeAt.getAndSet(now + this.retryIntervalNanos) == 0;
		if (wasUp) {
			this.lastWarningAt.set(now);
			logger.warn(
					"Read replica pool '{}' is unavailable ({}); read-only transactions fall back to the "
							+ "primary and the replica is tried again every {} ms",
					this.poolName, this.lastFailure, Duration.ofNanos(this.retryIntervalNanos).toMillis());
		}
	}

	/**
	 * Record one read-only unit of work sent to the primary because the replica is down.
	 */
	public void fellBack() {
		this.fallbacks.incrementAndGet();
		long count = this.fallbacksSinceWarning.incrementAndGet();
		long now = this.nanoClock.getAsLong();
		long last = this.lastWarningAt.get();
		if (now - last >= this.warnIntervalNanos && this.lastWarningAt.compareAndSet(last, now)) {
			this.fallbacksSinceWarning.addAndGet(-count);
			logger.warn(
					"Read replica pool '{}' is still unavailable ({}); {} read-only transactions went to the "
							+ "primary in the last {} s",
					this.poolName, this.lastFailure, count, Duration.ofNanos(now - last).toSeconds());
		}
	}

	/** Whether the replica is currently believed to be up. */
	public boolean isAvailable() {
		return this.nextProbeAt.get() == 0;
	}

	/** Read-only units of work sent to the primary since startup. */
	public long fallbacks() {
		return this.fallbacks.get();
	}

	/** Why the replica last failed, without secrets, or null if it never did. */
	public @Nullable String lastFailure() {
		return this.lastFailure;
	}

	private static String describe(SQLException failure) {
		String state = failure.getSQLState();
		return ((state != null) ? "SQLSTATE " + state + ": " : "") + failure.getMessage();
	}

}
