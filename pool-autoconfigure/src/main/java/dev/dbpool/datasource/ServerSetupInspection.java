package dev.dbpool.datasource;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;

import dev.dbpool.config.DbPoolSettings;
import dev.dbpool.config.PoolSettingTable;
import dev.dbpool.datasource.PgBouncerDetector.Finding;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Looks at the database server once, when the context has started: whether PgBouncer sits
 * in front and whether that conflicts with the settings, then whether the fleet's
 * connections fit the server. Uses its own short-lived driver connections: PgBouncer
 * detection needs two fresh client connections, and the checks take nothing from the
 * pool. Never fails startup: what cannot be checked is logged and skipped.
 */
public final class ServerSetupInspection implements SmartInitializingSingleton {

	private static final Logger logger = LoggerFactory.getLogger(ServerSetupInspection.class);

	private final PoolDefinition primary;

	private final @Nullable PoolDefinition replica;

	private final Driver driver;

	private final PgBouncerDetector detector = new PgBouncerDetector();

	private volatile @Nullable PoolerDetection detection;

	private volatile @Nullable ConnectionBudget startupBudget;

	/**
	 * Create the inspection.
	 * @param primary the primary pool
	 * @param replica the replica pool, if one is configured
	 * @param driver the PostgreSQL driver
	 */
	public ServerSetupInspection(PoolDefinition primary, @Nullable PoolDefinition replica, Driver driver) {
		this.primary = primary;
		this.replica = replica;
		this.driver = driver;
	}

	@Override
	public void afterSingletonsInstantiated() {
		inspect();
	}

	/** Run the checks and log what they find. */
	public void inspect() {
		String server = serverOf(this.primary.jdbcUrl());
		PoolerDetection found;
		try {
			found = this.detector.detect(() -> open(this.primary));
		}
		catch (SQLException | RuntimeException ex) {
			logger.warn("Could not check whether {} is PgBouncer: {}", server, ex.getMessage());
			return;
		}
		this.detection = found;
		for (Finding finding : this.detector.findings(server, this.primary.settings(), this.primary.driverProperties(),
				found)) {
			if (finding.warning()) {
				logger.warn(finding.message());
			}
			else {
				logger.info(finding.message());
			}
		}
		if (found.pooler()) {
			logger.info("Connection budget not checked: {} is a pooler, which caps the server connections itself",
					server);
			return;
		}
		try (Connection connection = open(this.primary)) {
			this.startupBudget = budgetCheck().measureAndLog(connection);
		}
		catch (SQLException | RuntimeException ex) {
			logger.warn("Could not check the connection budget on {}: {}", server, ex.getMessage());
		}
	}

	/** The budget check for this fleet, reusable for later measurements. */
	public ConnectionBudgetCheck budgetCheck() {
		DbPoolSettings settings = this.primary.settings();
		int replicaLimit = (this.replica != null && sameServer(this.primary.jdbcUrl(), this.replica.jdbcUrl()))
				? this.replica.settings().connectionLimit() : 0;
		return new ConnectionBudgetCheck(serverOf(this.primary.jdbcUrl()), settings.get(PoolSettingTable.INSTANCES),
				settings.connectionLimit(), replicaLimit, settings.get(PoolSettingTable.APPLICATION_NAME));
	}

	/**
	 * What the startup check found in front of the server, or null if it could not tell.
	 */
	public @Nullable PoolerDetection detection() {
		return this.detection;
	}

	/** The budget measured at startup, or null if it was not measured. */
	public @Nullable ConnectionBudget startupBudget() {
		return this.startupBudget;
	}

	private Connection open(PoolDefinition definition) throws SQLException {
		Properties properties = definition.driverProperties();
		if (definition.username() != null) {
			properties.setProperty("user", definition.username());
		}
		if (definition.password() != null) {
			properties.setProperty("password", definition.password());
		}
		Connection connection = this.driver.connect(definition.jdbcUrl(), properties);
		if (connection == null) {
			throw new SQLException("The PostgreSQL driver does not accept " + definition.jdbcUrl());
		}
		return connection;
	}

	/** {@code host:port[,host:port]} of a JDBC URL. */
	static String serverOf(String jdbcUrl) {
		int start = jdbcUrl.indexOf("//");
		if (start < 0) {
			return jdbcUrl;
		}
		int end = jdbcUrl.indexOf('/', start + 2);
		int query = jdbcUrl.indexOf('?', start + 2);
		if (end < 0 || (query >= 0 && query < end)) {
			end = (query >= 0) ? query : jdbcUrl.length();
		}
		return jdbcUrl.substring(start + 2, end);
	}

	static boolean sameServer(String jdbcUrl, String otherJdbcUrl) {
		return serverOf(jdbcUrl).equalsIgnoreCase(serverOf(otherJdbcUrl));
	}

}
