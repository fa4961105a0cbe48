package dev.dbpool.endpoint;

import java.util.Map;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Resets the query statistics through {@code DELETE}, or {@code POST} with
 * {@code Content-Type: application/json}, on the application-port snapshot path. Only
 * registered when {@code db.pool.endpoint.reset-enabled=true}: anyone who reaches the
 * port can then reset. Requiring JSON on {@code POST} keeps a cross-origin
 * {@code text/plain} form post, which browsers send without asking, from resetting.
 */
@RestController
public final class DatabaseMetricsResetController {

	private final DatabaseSnapshotProvider snapshots;

	public DatabaseMetricsResetController(DatabaseSnapshotProvider snapshots) {
		this.snapshots = snapshots;
	}

	@PostMapping(path = DatabaseMetricsController.PATH, consumes = "application/json", produces = "application/json")
	public Map<String, Object> resetByPost() {
		return DatabaseEndpoint.resetResult(this.snapshots.reset());
	}

	@DeleteMapping(path = DatabaseMetricsController.PATH, produces = "application/json")
	public Map<String, Object> resetByDelete() {
		return DatabaseEndpoint.resetResult(this.snapshots.reset());
	}

}
