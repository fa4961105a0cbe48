package dev.dbpool.datasource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the server's connection limits and the connections other applications hold, and
 * turns them into a {@link ConnectionBudget} for this application's fleet.
 */
public final class ConnectionBudgetCheck {

	private static final Logger logger = LoggerFactory.getLogger(ConnectionBudgetCheck.class);

	// reserved_connections exists from PostgreSQL 16; current_setting(..., true) gives
	// null before. Other applications are the client backends with another
	// application_name: our own fleet's connections are already counted as
	// instances x limit.
	private static final String QUERY = """
			SELECT current_setting('max_connections')::int,
			       current_setting('superuser_reserved_connections')::int,
			       coalesce(current_setting('reserved_connections', true)::int, 0),
			       (SELECT count(*) FROM pg_stat_activity
			         WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
			           AND coalesce(application_name, '') <> ?)::int""";

	private final String server;

	private final int instances;

	private final int connectionLimit;

	private final int replicaConnectionLimit;

	private final String applicationName;

	/**
	 * Create the check for one fleet.
	 * @param server host and port, for messages
	 * @param instances copies of this application
	 * @param connectionLimit the primary pool's size
	 * @param replicaConnectionLimit the replica pool's size when it is the same server,
	 * otherwise 0
	 * @param applicationName the application_name this fleet's connections carry
	 */
	public ConnectionBudgetCheck(String server, int instances, int connectionLimit, int replicaConnectionLimit,
			String applicationName) {
		this.server = server;
		this.instances = instances;
		this.connectionLimit = connectionLimit;
		this.replicaConnectionLimit = replicaConnectionLimit;
		this.applicationName = applicationName;
	}

	/**
	 * Read the server's numbers.
	 * @param connection a connection to the primary server (not through PgBouncer)
	 * @return the budget
	 * @throws SQLException if the server cannot be queried
	 */
	public ConnectionBudget measure(Connection connection) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(QUERY)) {
			statement.setString(1, this.applicationName);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return new ConnectionBudget(this.server, this.instances, this.connectionLimit,
						this.replicaConnectionLimit, result.getInt(1), result.getInt(2), result.getInt(3),
						result.getInt(4));
			}
		}
	}

	/**
	 * Measure and log: a warning with the numbers and a suggested limit when the fleet
	 * would exhaust the server, one info line otherwise.
	 * @param connection a connection to the primary server
	 * @return the budget
	 * @throws SQLException if the server cannot be queried
	 */
	public ConnectionBudget measureAndLog(Connection connection) throws SQLException {
		ConnectionBudget budget = measure(connection);
		if (budget.exhausted()) {
			logger.warn(budget.warning());
		}
		else {
			logger.info("Connection budget: {}", budget.describe());
		}
		return budget;
	}

}
