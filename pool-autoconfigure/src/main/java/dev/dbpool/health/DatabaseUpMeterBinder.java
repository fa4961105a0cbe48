package dev.dbpool.health;

import dev.dbpool.common.DbPoolMeters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Registers {@value #DATABASE_UP}: 1 while the {@code db} health indicator reports UP, 0
 * otherwise, so that Prometheus can alert on a database that stopped answering. Each read
 * of the gauge asks the indicator, which answers within the health timeout and shares the
 * probe in flight with concurrent health requests.
 */
public final class DatabaseUpMeterBinder implements MeterBinder {

	/**
	 * Gauge of the database's health: 1 when UP, 0 when DOWN, OUT_OF_SERVICE or UNKNOWN.
	 */
	public static final String DATABASE_UP = DbPoolMeters.DATABASE_UP;

	/** Tag holding the pool name. */
	public static final String TAG_POOL = DbPoolMeters.TAG_POOL;

	private final HealthIndicator indicator;

	private final String poolName;

	/**
	 * Create the binder.
	 * @param indicator the database health indicator
	 * @param poolName the pool the indicator checks, as the {@code pool} tag
	 */
	public DatabaseUpMeterBinder(HealthIndicator indicator, String poolName) {
		this.indicator = indicator;
		this.poolName = poolName;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder(DATABASE_UP, this.indicator, DatabaseUpMeterBinder::up)
			.description("Whether the database answers the health probe: 1 when UP, 0 otherwise")
			.tag(TAG_POOL, this.poolName)
			.register(registry);
	}

	static double up(HealthIndicator indicator) {
		try {
			return Status.UP.equals(indicator.health(false).getStatus()) ? 1.0 : 0.0;
		}
		catch (RuntimeException ex) {
			return 0.0;
		}
	}

}
