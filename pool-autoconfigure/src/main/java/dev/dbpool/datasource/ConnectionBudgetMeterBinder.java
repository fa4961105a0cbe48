package dev.dbpool.datasource;

import java.util.function.ToIntFunction;

import dev.dbpool.common.DbPoolMeters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Registers the fleet's connection budget as measured by the startup inspection:
 * {@value #FLEET} (instances x connections per instance) and {@value #AVAILABLE} (slots
 * the server leaves for this application). The fleet exceeds its budget when the first is
 * above the second. Both are NaN when the budget was not measured (PgBouncer in front, or
 * the server could not be queried). Reading them never touches the database.
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
		register(registry, FLEET, "Connections the whole fleet may open (instances x connections per instance)",
				ConnectionBudget::fleetConnections);
		register(registry, AVAILABLE, "Connection slots the database server leaves for this application",
				ConnectionBudget::available);
	}

	private void register(MeterRegistry registry, String name, String description,
			ToIntFunction<ConnectionBudget> value) {
		Gauge.builder(name, this.inspection, (inspection) -> valueOf(inspection.startupBudget(), value))
			.description(description)
			.tag(TAG_POOL, this.poolName)
			.register(registry);
	}

	static double valueOf(@Nullable ConnectionBudget budget, ToIntFunction<ConnectionBudget> value) {
		return (budget != null) ? value.applyAsInt(budget) : Double.NaN;
	}

}
