package dev.dbpool.datasource;

import java.util.function.ToIntFunction;

import dev.dbpool.common.DbPoolMeters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Registers the fleet's connection budget as measured by the startup inspection:
 * {@value #FLEET} (instances x connections per instance) and {@value #AVAILABLE} (slots
 * the server leaves for this application). The fleet exceeds its budget when the first is
 * above the second. Both are absent until the budget is measured, and stay absent when it
 * cannot be (PgBouncer in front, or the server could not be queried; the startup log says
 * why). Reading them never touches the database.
 */
public final class ConnectionBudgetMeterBinder implements MeterBinder {

	/** Gauge of the connections the whole fleet may open. */
	public static final String FLEET = DbPoolMeters.CONNECTION_BUDGET_FLEET;

	/** Gauge of the connection slots the server leaves for this application. */
	public static final String AVAILABLE = DbPoolMeters.CONNECTION_BUDGET_AVAILABLE;

	/** Tag holding the pool name. */
	public static final String TAG_POOL = DbPoolMeters.TAG_POOL;

	private final ServerSetupInspection inspection;

	private final String poolName;

	/**
	 * Create the binder.
	 * @param inspection the startup inspection that measures the budget
	 * @param poolName the primary pool's name, as the {@code pool} tag
	 */
	public ConnectionBudgetMeterBinder(ServerSetupInspection inspection, String poolName) {
		this.inspection = inspection;
		this.poolName = poolName;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		// Registered once measured: a gauge is a real number or absent, never NaN.
		this.inspection.onBudgetMeasured((budget) -> registerAll(registry, budget));
	}

	private void registerAll(MeterRegistry registry, ConnectionBudget budget) {
		register(registry, budget, FLEET, "Connections the whole fleet may open (instances x connections per instance)",
				ConnectionBudget::fleetConnections);
		register(registry, budget, AVAILABLE, "Connection slots the database server leaves for this application",
				ConnectionBudget::available);
	}

	private void register(MeterRegistry registry, ConnectionBudget budget, String name, String description,
			ToIntFunction<ConnectionBudget> value) {
		Gauge.builder(name, budget, value::applyAsInt)
			.description(description)
			.tag(TAG_POOL, this.poolName)
			.register(registry);
	}

}
