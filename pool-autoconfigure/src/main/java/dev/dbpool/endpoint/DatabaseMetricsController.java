package dev.dbpool.endpoint;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the database snapshot on the application's own port, at
 * {@code db.pool.endpoint.path} ({@code /metrics/database} by default). {@code POST} or
 * {@code DELETE} on the same path resets the query statistics.
 */
@RestController
public final class DatabaseMetricsController {

	static final String PATH = "${db.pool.endpoint.path:/metrics/database}";

	private final DatabaseSnapshotProvider snapshots;

	public DatabaseMetricsController(DatabaseSnapshotProvider snapshots) {
		this.snapshots = snapshots;
	}

	@GetMapping(path = PATH, produces = "application/json")
	public Map<String, Object> snapshot() {
		return this.snapshots.snapshot();
	}

	@PostMapping(path = PATH, produces = "application/json")
	public ResponseEntity<Map<String, Object>> resetByPost() {
		return reset();
	}

	@DeleteMapping(path = PATH, produces = "application/json")
	public ResponseEntity<Map<String, Object>> resetByDelete() {
		return reset();
	}

	private ResponseEntity<Map<String, Object>> reset() {
		boolean reset = this.snapshots.reset();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("reset", reset);
		if (!reset) {
			body.put("reason", "query observation is disabled (db.pool.observation.enabled=false)");
		}
		return ResponseEntity.ok(body);
	}

}
