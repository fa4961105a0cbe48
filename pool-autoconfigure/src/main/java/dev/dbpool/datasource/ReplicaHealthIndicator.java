package dev.dbpool.datasource;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of the read replica pool, shown as {@code dbReplica} next to the primary's
 * {@code db}. The replica's own check (the pool health indicator of the health package)
 * decides; but while read-only work falls back to the primary, a replica outage does not
 * stop the application from serving, so the status stays UP and the details say that the
 * replica is down and reads go to the primary. Without fallback, a replica outage is
 * DOWN.
 */
public final class ReplicaHealthIndicator implements HealthIndicator, AutoCloseable {

	private final HealthIndicator replica;

	private final ReplicaRoutingDataSource routing;

	private final boolean fallbackToPrimary;

	/**
	 * Create the indicator.
	 * @param replica the health check of the replica pool itself
	 * @param routing the routing data source, which tracks fallbacks
	 * @param fallbackToPrimary whether read-only work falls back to the primary
	 */
	public ReplicaHealthIndicator(HealthIndicator replica, ReplicaRoutingDataSource routing,
			boolean fallbackToPrimary) {
		this.replica = replica;
		this.routing = routing;
		this.fallbackToPrimary = fallbackToPrimary;
	}

	@Override
	public Health health() {
		Health health = this.replica.health();
		if (health == null) {
			return Health.unknown().build();
		}
		boolean down = !Status.UP.equals(health.getStatus());
		Health.Builder builder = (down && this.fallbackToPrimary) ? Health.up() : Health.status(health.getStatus());
		builder.withDetails(health.getDetails())
			.withDetail("replicaStatus", health.getStatus().getCode())
			.withDetail("fallbackToPrimary", this.fallbackToPrimary)
			.withDetail("readsServedBy", (down && this.fallbackToPrimary) ? "primary" : "replica")
			.withDetail("fallbacksToPrimary", this.routing.availability().fallbacks());
		return builder.build();
	}

	/** Closes the replica check (its probe holds a connection of its own). */
	@Override
	public void close() throws Exception {
		if (this.replica instanceof AutoCloseable closeable) {
			closeable.close();
		}
	}

}
