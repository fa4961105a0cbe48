package dev.dbpool.retry;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariPoolMXBean;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Before retrying after a lost connection, evicts the pools' idle connections. A lost
 * connection rarely comes alone: a restart, a failover or a mass
 * {@code pg_terminate_backend} kills every idle connection too, and HikariCP skips its
 * liveness check for connections used within the last 500 ms, so without this a retry
 * could draw one dead connection after another until its attempts run out. Soft eviction
 * closes idle connections now and busy ones when they are returned; at most once per
 * interval, so that a single terminated backend does not churn the pool.
 */
public final class StaleConnectionEviction implements TransientRetryListener {

	/** SQLSTATEs of a connection that broke or was terminated by the server. */
	static final Set<String> CONNECTION_LOSS = Set.of("08006", "08003", "08007", "57P01", "57P02");

	private static final Log logger = LogFactory.getLog(StaleConnectionEviction.class);

	private final Supplier<List<HikariPoolMXBean>> pools;

	private final long intervalNanos;

	private final LongSupplier nanoClock;

	private final AtomicLong lastEviction;

	/**
	 * Create the eviction.
	 * @param pools the pools to evict, looked up when first needed
	 * @param interval minimum time between two evictions
	 */
	public StaleConnectionEviction(Supplier<List<HikariPoolMXBean>> pools, Duration interval) {
		this(pools, interval, System::nanoTime);
	}

	StaleConnectionEviction(Supplier<List<HikariPoolMXBean>> pools, Duration interval, LongSupplier nanoClock) {
		this.pools = pools;
		this.intervalNanos = interval.toNanos();
		this.nanoClock = nanoClock;
		this.lastEviction = new AtomicLong(nanoClock.getAsLong() - this.intervalNanos);
	}

	@Override
	public void onRetry(String name, @Nullable String sqlState, int retry, long delayMillis) {
		if (sqlState == null || !CONNECTION_LOSS.contains(sqlState)) {
			return;
		}
		long now = this.nanoClock.getAsLong();
		long last = this.lastEviction.get();
		if (now - last < this.intervalNanos || !this.lastEviction.compareAndSet(last, now)) {
			return;
		}
		for (HikariPoolMXBean pool : this.pools.get()) {
			pool.softEvictConnections();
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Evicted idle pooled connections after SQLSTATE " + sqlState + " in " + name);
		}
	}

}
