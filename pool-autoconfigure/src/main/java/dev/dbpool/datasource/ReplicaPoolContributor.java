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
		putPoolUse(section, this.replica);
		return section;
	}

	/**
	 * Put a pool's size and use into a snapshot section: the fields every secondary
	 * pool's section shares.
	 * @param section the section to fill
	 * @param pool the pool
	 */
	static void putPoolUse(Map<String, Object> section, HikariDataSource pool) {
		section.put("maxConnections", pool.getMaximumPoolSize());
		HikariPoolMXBean counters = pool.getHikariPoolMXBean();
		if (counters != null) {
			section.put("activeConnections", counters.getActiveConnections());
			section.put("idleConnections", counters.getIdleConnections());
			section.put("totalConnections", counters.getTotalConnections());
			section.put("threadsAwaitingConnection", counters.getThreadsAwaitingConnection());
		}
	}

}
