package dev.dbpool.endpoint;

import java.util.Map;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/database}: the same snapshot as {@code /metrics/database}; a write
 * ({@code POST}) or delete operation resets the query statistics.
 */
@Endpoint(id = "database")
public final class DatabaseEndpoint {

	private final DatabaseSnapshotProvider snapshots;

	public DatabaseEndpoint(DatabaseSnapshotProvider snapshots) {
		this.snapshots = snapshots;
	}

	@ReadOperation
	public Map<String, Object> snapshot() {
		return this.snapshots.snapshot();
	}

	@WriteOperation
	public Map<String, Object> reset() {
		return Map.of("reset", this.snapshots.reset());
	}

	@DeleteOperation
	public Map<String, Object> delete() {
		return reset();
	}

}
