package dev.dbpool.health;

import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Graceful shutdown of the pool. When the context closes, readiness turns to
 * {@link ReadinessState#REFUSING_TRAFFIC} (web contexts do that themselves, first); then,
 * in a lifecycle phase after the web server's graceful shutdown and stop, borrowed
 * connections get what is left of the drain timeout to come back. The pool itself is
 * closed afterwards by the DataSource bean's destroy method, once every bean that depends
 * on it (JPA, schedulers, {@code @PreDestroy} methods) is gone.
 */
public final class PoolShutdownLifecycle implements SmartLifecycle, ApplicationListener<ContextClosedEvent> {

	/**
	 * Phase of the drain: below Spring Boot's web server graceful shutdown
	 * ({@code DEFAULT_PHASE - 1024}) and web server stop ({@code DEFAULT_PHASE - 2048}),
	 * so in-flight requests finish and no new request arrives before the pool drains.
	 */
	public static final int DRAIN_PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private final HikariDataSource pool;

	private final PoolDrain drain;

	private final ApplicationContext context;

	private final ApplicationAvailability availability;

	private final AtomicLong shutdownStartedNanos = new AtomicLong();

	private volatile boolean running;

	/**
	 * Create the lifecycle.
	 * @param pool the pool to drain
	 * @param drain the drain to run
	 * @param context the context whose closing starts the shutdown
	 * @param availability the application availability, to flip readiness
	 */
	public PoolShutdownLifecycle(HikariDataSource pool, PoolDrain drain, ApplicationContext context,
			ApplicationAvailability availability) {
		this.pool = pool;
		this.drain = drain;
		this.context = context;
		this.availability = availability;
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		// Child contexts (a management server) publish their close to the parent too.
		if (event.getApplicationContext() != this.context) {
			return;
		}
		this.shutdownStartedNanos.compareAndSet(0, System.nanoTime());
		if (this.availability.getReadinessState() != ReadinessState.REFUSING_TRAFFIC) {
			AvailabilityChangeEvent.publish(this.context, ReadinessState.REFUSING_TRAFFIC);
		}
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.shutdownStartedNanos.compareAndSet(0, System.nanoTime());
		HikariPoolMXBean counters = this.pool.getHikariPoolMXBean();
		if (counters == null || this.pool.isClosed()) {
			return;
		}
		this.drain.drain(this.shutdownStartedNanos.get());
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return DRAIN_PHASE;
	}

}
