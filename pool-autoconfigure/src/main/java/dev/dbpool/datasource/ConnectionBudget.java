package dev.dbpool.datasource;

/**
 * How many connections the whole fleet of this application may open against what the
 * server accepts. {@code available} is {@code max_connections} minus the reserved slots
 * ({@code superuser_reserved_connections}, and {@code reserved_connections} from
 * PostgreSQL 16) minus the connections other applications hold; the fleet is
 * {@code instances x (connection-limit + replica connection-limit when the replica is the
 * same server)}.
 *
 * @param server host and port of the server, for messages
 * @param instances copies of this application ({@code db.pool.instances})
 * @param connectionLimit the primary pool's size per instance
 * @param replicaConnectionLimit the replica pool's size per instance when it points to
 * the same server, otherwise 0
 * @param maxConnections the server's {@code max_connections}
 * @param superuserReservedConnections the server's {@code superuser_reserved_connections}
 * @param reservedConnections the server's {@code reserved_connections} (0 before PG16)
 * @param inUseByOthers client connections held by other applications when checked
 */
public record ConnectionBudget(String server, int instances, int connectionLimit, int replicaConnectionLimit,
		int maxConnections, int superuserReservedConnections, int reservedConnections, int inUseByOthers) {

	/** Connections the whole fleet may open. */
	public int fleetConnections() {
		return this.instances * (this.connectionLimit + this.replicaConnectionLimit);
	}

	/** Connection slots left for this application on the server. */
	public int available() {
		return Math.max(0, this.maxConnections - this.superuserReservedConnections - this.reservedConnections
				- this.inUseByOthers);
	}

	/** Whether the fleet at full size would run the server out of connections. */
	public boolean exhausted() {
		return fleetConnections() > available();
	}

	/**
	 * Largest per-instance connection limit (primary and same-server replica pools
	 * together) that fits the server, at least 1.
	 */
	public int suggestedConnectionLimit() {
		return Math.max(1, available() / this.instances);
	}

	/** The arithmetic, as shown in the startup log. */
	public String describe() {
		String pools = (this.replicaConnectionLimit > 0)
				? "(" + this.connectionLimit + " primary + " + this.replicaConnectionLimit + " replica)"
				: Integer.toString(this.connectionLimit);
		return this.instances + ((this.instances == 1) ? " instance x " : " instances x ") + pools + " connections = "
				+ fleetConnections() + ", server " + this.server + " accepts " + available() + " (max_connections "
				+ this.maxConnections + " - superuser_reserved_connections " + this.superuserReservedConnections
				+ " - reserved_connections " + this.reservedConnections + " - " + this.inUseByOthers
				+ " in use by other applications)";
	}

	/** The warning logged when the fleet would exhaust the server. */
	public String warning() {
		return "Connection budget exceeded: " + describe() + ". At full load the last instances will fail with "
				+ "'sorry, too many clients already' (SQLSTATE 53300). Suggested: db.pool.connection-limit="
				+ suggestedConnectionLimit() + " (or connection_limit=" + suggestedConnectionLimit()
				+ " in the URL) for " + this.instances + " instances"
				+ ((this.replicaConnectionLimit > 0) ? ", primary and replica pools together" : "")
				+ "; or correct db.pool.instances, raise max_connections, or put PgBouncer in front. "
				+ "Sizing rule of thumb for the whole fleet: database server cores x 2 + effective spindles "
				+ "(4 cores with one SSD: about 9 connections busy at once); not applied automatically.";
	}

}
