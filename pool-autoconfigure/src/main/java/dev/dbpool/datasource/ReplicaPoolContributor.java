package dev.dbpool.datasource;

import java.util.LinkedHashMap;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.dbpool.common.DatabaseSnapshotContributor;

/**
 * The {@code replica} section of {@code /metrics/database}: the replica pool's size and
 * use, whether the replica is up, and how much read-only work fell back to the primary.
 */
public final class ReplicaPoolContributor implements DatabaseSnapshotContributor {

	/** Name of the section. */
	public static final String SECTION = "replica";

	private final HikariDataSource replica;

	private final ReplicaRoutingDataSource routing;

	/**
	 * Create the contributor.
	 * @param replica the replica pool
	 * @param routing the routing data source, which tracks the replica's availability
	 */
	public ReplicaPoolContributor(HikariDataSource replica, ReplicaRoutingDataSource routing) {
		this.replica = replica;
		this.routing = routing;
	}

	@Override
	public String section() {
		return SECTION;
	}

	@Override
	public Object snapshot() {
		Map<String, Object> section = new LinkedHashMap<>();
		ReplicaAvailability availability = this.routing.availability();
		section.put("pool", this.replica.getPoolName());
		section.put("url", this.replica.getJdbcUrl());
		section.put("available", availability.isAvailable());
		section.put("fallbacksToPrimary", availability.fallbacks());
		String lastFailure = availability.lastFailure();
		if (lastFailure != null) {
			section.put("lastFailure", lastFailure);
		}
		section.put("maxConnections", this.replica.getMaximumPoolSize());
		HikariPoolMXBean pool = this.replica.getHikariPoolMXBean();
		if (pool != null) {
			section.put("activeConnections", pool.getActiveConnections());
			section.put("idleConnections", pool.getIdleConnections());
			section.put("totalConnections", pool.getTotalConnections());
			section.put("threadsAwaitingConnection", pool.getThreadsAwaitingConnection());
		}
		return section;
	}

}
