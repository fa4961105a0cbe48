package dev.dbpool.endpoint;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.dbpool.common.DatabaseSnapshotContributor;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/database}: the complete snapshot, internal sections included. Its
 * write ({@code POST}) and delete operations reset the query statistics; they are
 * available only once {@code management.endpoint.database.access=unrestricted} allows
 * them, since the endpoint's default access is read-only.
 */
@Endpoint(id = "database", defaultAccess = Access.READ_ONLY)
public final class DatabaseEndpoint {

	private final DatabaseSnapshotProvider snapshots;

	public DatabaseEndpoint(DatabaseSnapshotProvider snapshots) {
		this.snapshots = snapshots;
	}

	@ReadOperation
	public Map<String, Object> snapshot() {
		return this.snapshots.snapshot(DatabaseSnapshotContributor.Visibility.INTERNAL);
	}

	@WriteOperation
	public Map<String, Object> reset() {
		return resetResult(this.snapshots.reset());
	}

	@DeleteOperation
	public Map<String, Object> delete() {
		return reset();
	}

	static Map<String, Object> resetResult(boolean reset) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("reset", reset);
		if (!reset) {
			body.put("reason", "query observation is disabled (db.pool.observation.enabled=false)");
		}
		return body;
	}

}
