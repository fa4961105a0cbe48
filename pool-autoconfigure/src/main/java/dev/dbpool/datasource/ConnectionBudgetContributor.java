package dev.dbpool.datasource;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import javax.sql.DataSource;

import dev.dbpool.common.ConnectionAllowance;
import dev.dbpool.common.DatabaseSnapshotContributor;
import dev.dbpool.common.HikariPools;
import org.jspecify.annotations.Nullable;

/**
 * The {@code connectionBudget} section of {@code /metrics/database}: the fleet's
 * connections against what the server accepts, measured through the primary pool and
 * cached for the endpoint's server-view cache time, so that polling the endpoint does not
 * query the server on every request; and {@code instanceConnections}, what this instance
 * has open against its connection limit right now (the pool's physical connections and
 * its short side connections) and the side work skipped because the limit was reached.
 */
public final class ConnectionBudgetContributor implements DatabaseSnapshotContributor {

	/** Name of the section. */
	public static final String SECTION = "connectionBudget";

	private final ServerSetupInspection inspection;

	private final DataSource primary;

	private final long cacheNanos;

	private final LongSupplier nanoClock;

	private final Object refreshLock = new Object();

	private volatile @Nullable Map<String, Object> cached;

	private volatile long cachedAt;

	/**
	 * Create the contributor.
	 * @param inspection the startup inspection (knows whether a pooler is in front)
	 * @param primary the primary pool
	 * @param cacheTime how long a measurement is served before the next one
	 * @param nanoClock source of {@link System#nanoTime()}-like values
	 */
	public ConnectionBudgetContributor(ServerSetupInspection inspection, DataSource primary, Duration cacheTime,
			LongSupplier nanoClock) {
		this.inspection = inspection;
		this.primary = primary;
		this.cacheNanos = cacheTime.toNanos();
		this.nanoClock = nanoClock;
	}

	@Override
	public String section() {
		return SECTION;
	}

	@Override
	public Object snapshot() {
		Map<String, Object> section = new LinkedHashMap<>(measured());
		ConnectionAllowance allowance = ConnectionAllowance.of(HikariPools.find(this.primary));
		if (allowance != null) {
			// Read on every snapshot: it costs no query.
			Map<String, Object> connections = new LinkedHashMap<>();
			connections.put("limit", allowance.limit());
			connections.put("inUse", allowance.inUse());
			connections.put("skippedForLimit", allowance.declined());
			section.put("instanceConnections", connections);
		}
		return section;
	}

	private Map<String, Object> measured() {
		Map<String, Object> current = this.cached;
		if (current != null && this.nanoClock.getAsLong() - this.cachedAt < this.cacheNanos) {
			return current;
		}
		synchronized (this.refreshLock) {
			current = this.cached;
			long now = this.nanoClock.getAsLong();
			if (current == null || now - this.cachedAt >= this.cacheNanos) {
				current = measure();
				this.cached = current;
				this.cachedAt = now;
			}
			return current;
		}
	}

	private Map<String, Object> measure() {
		Map<String, Object> section = new LinkedHashMap<>();
		PoolerDetection detection = this.inspection.detection();
		if (detection != null && detection.pooler()) {
			section.put("checked", false);
			section.put("reason", "the server is a pooler (PgBouncer), which caps server connections itself");
			return section;
		}
		ConnectionBudget budget;
		try (Connection connection = this.primary.getConnection()) {
			budget = this.inspection.budgetCheck().measure(connection);
		}
		catch (SQLException ex) {
			section.put("checked", false);
			section.put("reason", "could not query the server: " + ex.getMessage());
			return section;
		}
		section.put("checked", true);
		section.put("server", budget.server());
		section.put("instances", budget.instances());
		section.put("connectionLimit", budget.connectionLimit());
		section.put("replicaConnectionLimit", budget.replicaConnectionLimit());
		section.put("fleetConnections", budget.fleetConnections());
		section.put("maxConnections", budget.maxConnections());
		section.put("superuserReservedConnections", budget.superuserReservedConnections());
		section.put("reservedConnections", budget.reservedConnections());
		section.put("inUseByOthers", budget.inUseByOthers());
		section.put("available", budget.available());
		section.put("exhausted", budget.exhausted());
		section.put("suggestedConnectionLimit", budget.suggestedConnectionLimit());
		return section;
	}

}
