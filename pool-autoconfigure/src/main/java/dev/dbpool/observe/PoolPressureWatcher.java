package dev.dbpool.observe;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples pool utilization on its own daemon thread every {@code check-interval} and logs
 * what the {@link PoolPressureMonitor} says is due.
 */
public final class PoolPressureWatcher implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(PoolPressureWatcher.class);

	private final Supplier<@Nullable HikariDataSource> pool;

	private final PoolPressureMonitor monitor;

	private final Duration interval;

	private @Nullable ScheduledExecutorService scheduler;

	public PoolPressureWatcher(Supplier<@Nullable HikariDataSource> pool, PoolPressureMonitor monitor,
			Duration interval) {
		if (interval.isNegative() || interval.isZero()) {
			throw new IllegalArgumentException(
					"The check interval must be positive, was " + interval.toMillis() + "ms");
		}
		this.pool = pool;
		this.monitor = monitor;
		this.interval = interval;
	}

	public synchronized void start() {
		if (this.scheduler != null) {
			return;
		}
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "dbpool-pressure-watcher");
			thread.setDaemon(true);
			return thread;
		});
		long millis = this.interval.toMillis();
		this.scheduler.scheduleWithFixedDelay(this::check, millis, millis, TimeUnit.MILLISECONDS);
	}

	void check() {
		try {
			HikariDataSource hikari = this.pool.get();
			if (hikari == null) {
				return;
			}
			HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
			HikariConfigMXBean config = hikari.getHikariConfigMXBean();
			if (pool == null) {
				return;
			}
			List<String> warnings = this.monitor.sample(pool.getActiveConnections(), config.getMaximumPoolSize(),
					pool.getThreadsAwaitingConnection());
			for (String warning : warnings) {
				logger.warn(warning);
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Pool pressure check failed", ex);
		}
	}

	@Override
	public synchronized void close() {
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
			this.scheduler = null;
		}
	}

}
