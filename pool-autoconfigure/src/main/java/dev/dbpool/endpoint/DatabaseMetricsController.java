package dev.dbpool.endpoint;

import java.util.Map;

import dev.dbpool.common.DatabaseSnapshotContributor;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the database snapshot, read-only, on the application's own port at
 * {@code db.pool.endpoint.path} ({@code /metrics/database} by default). Only public
 * sections are shown unless {@code db.pool.endpoint.show-internals=true}; nothing here
 * changes state (see {@link DatabaseMetricsResetController} for the opt-in reset).
 */
@RestController
public final class DatabaseMetricsController {

	static final String PATH = "${db.pool.endpoint.path:/metrics/database}";

	private final DatabaseSnapshotProvider snapshots;

	private final DatabaseSnapshotContributor.Visibility visibility;

	/**
	 * Create the controller.
	 * @param snapshots where the snapshot comes from
	 * @param visibility the sections shown: public only, or internal ones too
	 */
	public DatabaseMetricsController(DatabaseSnapshotProvider snapshots,
			DatabaseSnapshotContributor.Visibility visibility) {
		this.snapshots = snapshots;
		this.visibility = visibility;
	}

	@GetMapping(path = PATH, produces = "application/json")
	public Map<String, Object> snapshot() {
		return this.snapshots.snapshot(this.visibility);
	}

}
