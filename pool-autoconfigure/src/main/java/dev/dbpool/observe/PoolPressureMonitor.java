package dev.dbpool.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides when pool pressure deserves a warning: once when utilization rises above the
 * threshold, then silence until it has dropped back below it (hysteresis); likewise once
 * when threads start waiting for a connection. Fed by a sampler, never by queries; holds
 * no clock and no pool, so it is tested with plain numbers.
 */
public final class PoolPressureMonitor {

	private final double thresholdPercent;

	private boolean aboveThreshold;

	private boolean threadsWaiting;

	/**
	 * Create a monitor.
	 * @param thresholdPercent utilization in percent above which a warning is due
	 */
	public PoolPressureMonitor(double thresholdPercent) {
		if (!(thresholdPercent > 0 && thresholdPercent <= 100)) {
			throw new IllegalArgumentException(
					"The utilization threshold must be above 0 and at most 100, was " + thresholdPercent);
		}
		this.thresholdPercent = thresholdPercent;
	}

	/**
	 * Take one sample.
	 * @param active connections in use
	 * @param limit maximum pool size
	 * @param waiting threads waiting for a connection
	 * @return the warnings due now, usually none
	 */
	public synchronized List<String> sample(int active, int limit, int waiting) {
		List<String> warnings = new ArrayList<>(2);
		double utilization = (limit > 0) ? active * 100.0 / limit : 0.0;
		if (utilization > this.thresholdPercent) {
			if (!this.aboveThreshold) {
				this.aboveThreshold = true;
				warnings.add(String.format(Locale.ROOT, "High pool utilization: %.1f%% (%d/%d)", utilization, active,
						limit));
			}
		}
		else {
			this.aboveThreshold = false;
		}
		if (waiting > 0) {
			if (!this.threadsWaiting) {
				this.threadsWaiting = true;
				warnings.add(String.format(Locale.ROOT,
						"Threads waiting for a database connection: %d (pool %d/%d in use)", waiting, active, limit));
			}
		}
		else {
			this.threadsWaiting = false;
		}
		return warnings;
	}

}
