package dev.dbpool.health;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits, at shutdown, for borrowed connections to come back before the pool closes, and
 * logs one line saying how it went.
 */
public final class PoolDrain {

	private static final Logger logger = LoggerFactory.getLogger(PoolDrain.class);

	private static final long POLL_INTERVAL_MILLIS = 20;

	private final Supplier<String> poolName;

	private final IntSupplier activeConnections;

	private final Duration drainTimeout;

	private final LongSupplier nanoTime;

	/**
	 * Create a drain.
	 * @param poolName name shown in the log line, read when it is written
	 * @param activeConnections current number of borrowed connections
	 * @param drainTimeout how long in-flight work may keep its connections after shutdown
	 * starts
	 * @param nanoTime monotonic clock
	 */
	public PoolDrain(Supplier<String> poolName, IntSupplier activeConnections, Duration drainTimeout,
			LongSupplier nanoTime) {
		this.poolName = poolName;
		this.activeConnections = activeConnections;
		this.drainTimeout = drainTimeout;
		this.nanoTime = nanoTime;
	}

	/** How the drain ended. */
	public record Outcome(boolean clean, int stillBusy, long elapsedMillis) {

	}

	/**
	 * Wait until no connection is borrowed or the drain timeout, counted from the start
	 * of shutdown, has passed; then log the summary.
	 * @param shutdownStartedNanos when shutdown started, from the same clock
	 * @return the outcome
	 */
	public Outcome drain(long shutdownStartedNanos) {
		long deadline = shutdownStartedNanos + this.drainTimeout.toNanos();
		int busy = this.activeConnections.getAsInt();
		while (busy > 0 && this.nanoTime.getAsLong() - deadline < 0) {
			try {
				Thread.sleep(POLL_INTERVAL_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			busy = this.activeConnections.getAsInt();
		}
		long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(this.nanoTime.getAsLong() - shutdownStartedNanos);
		Outcome outcome = new Outcome(busy == 0, busy, elapsedMillis);
		if (outcome.clean()) {
			logger.info("Connection pool '{}' drained cleanly in {} ms", this.poolName.get(), elapsedMillis);
		}
		else {
			logger.warn(
					"Connection pool '{}' not drained after {} ms (drain timeout {} ms): {} connection(s) still busy, aborted when the pool closes",
					this.poolName.get(), elapsedMillis, this.drainTimeout.toMillis(), busy);
		}
		return outcome;
	}

}
