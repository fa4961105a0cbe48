package dev.dbpool.datasource;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

import javax.sql.DataSource;

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
 * connections fit the server. Runs on the pool's own connections when it is given the
 * pool (two at once for PgBouncer detection, so a pool of at least two), so that the
 * checks never add connections beyond the instance's connection limit; on short-lived
 * driver connections otherwise. Never fails startup: what cannot be checked is logged,
 * saying why, and skipped.
 */
public final class ServerSetupInspection implements SmartInitializingSingleton {

	private static final Logger logger = LoggerFactory.getLogger(ServerSetupInspection.class);

	private final PoolDefinition primary;

	private final @Nullable PoolDefinition replica;

	private final List<PoolDefinition> additional;

	private final Driver driver;

	private final PgBouncerDetector detector = new PgBouncerDetector();

	private volatile @Nullable PoolerDetection detection;

	private volatile @Nullable ConnectionBudget startupBudget;

	private final @Nullable Supplier<@Nullable DataSource> pool;

	private final List<Consumer<ConnectionBudget>> budgetListeners = new CopyOnWriteArrayList<>();

	/**
	 * Create the inspection.
	 * @param primary the primary pool
	 * @param replica the replica pool, if one is configured
	 * @param driver the PostgreSQL driver
	 */
	public ServerSetupInspection(PoolDefinition primary, @Nullable PoolDefinition replica, Driver driver) {
		this(primary, replica, driver, null);
	}

	/**
	 * Create the inspection that runs on the pool's own connections.
	 * @param primary the primary pool
	 * @param replica the replica pool, if one is configured
	 * @param driver the PostgreSQL driver
	 * @param pool the primary pool, or {@code null} to use driver connections
	 */
	public ServerSetupInspection(PoolDefinition primary, @Nullable PoolDefinition replica, Driver driver,
			@Nullable Supplier<@Nullable DataSource> pool) {
		this(primary, replica, List.of(), driver, pool);
	}

	/**
	 * Create the inspection that runs on the pool's own connections and counts the
	 * additional pools on the primary's server in its budget.
	 * @param primary the primary pool
	 * @param replica the replica pool, if one is configured
	 * @param additional the additional pools ({@code db.pool.additional.<name>})
	 * @param driver the PostgreSQL driver
	 * @param pool the primary pool, or {@code null} to use driver connections
	 */
	public ServerSetupInspection(PoolDefinition primary, @Nullable PoolDefinition replica,
			List<PoolDefinition> additional, Driver driver, @Nullable Supplier<@Nullable DataSource> pool) {
		this.primary = primary;
		this.replica = replica;
		this.additional = List.copyOf(additional);
		this.driver = driver;
		this.pool = pool;
	}

	/**
	 * Be told of the budget once it is measured (at once if it already is).
	 * @param listener receives the measured budget
	 */
	public void onBudgetMeasured(Consumer<ConnectionBudget> listener) {
		this.budgetListeners.add(listener);
		ConnectionBudget budget = this.startupBudget;
		if (budget != null) {
			listener.accept(budget);
		}
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
			found = this.detector.detect(detectionOpener());
		}
		catch (SQLException | RuntimeException ex) {
			logger.warn("Could not check whether {} is PgBouncer: {}{}", server, ex.getMessage(), why(ex));
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
		ConnectionBudget measured;
		try (Connection connection = openPrimary()) {
			measured = budgetCheck().measureAndLog(connection);
		}
		catch (SQLException | RuntimeException ex) {
			logger.warn("Could not check the connection budget on {}: {}{}; the budget gauges stay absent", server,
					ex.getMessage(), why(ex));
			return;
		}
		this.startupBudget = measured;
		for (Consumer<ConnectionBudget> listener : this.budgetListeners) {
			listener.accept(measured);
		}
	}

	/** The budget check for this fleet, reusable for later measurements. */
	public ConnectionBudgetCheck budgetCheck() {
		DbPoolSettings settings = this.primary.settings();
		int replicaLimit = (this.replica != null && sameServer(this.primary.jdbcUrl(), this.replica.jdbcUrl()))
				? this.replica.settings().connectionLimit() : 0;
		// Additional pools on the primary's server draw on the same max_connections.
		for (PoolDefinition pool : this.additional) {
			if (sameServer(this.primary.jdbcUrl(), pool.jdbcUrl())) {
				replicaLimit += pool.settings().connectionLimit();
			}
		}
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

	/**
	 * Connections for the pooler detection: the pool's own. It needs a second one at once
	 * only behind a pooler (to tell its mode), which a pool of one cannot lend.
	 */
	private PgBouncerDetector.ConnectionOpener detectionOpener() {
		int limit = this.primary.settings().connectionLimit();
		int[] opened = new int[1];
		return () -> {
			if (++opened[0] > limit && this.pool != null) {
				throw new SQLException("telling the pooler's mode needs " + opened[0]
						+ " connections at once, more than db.pool.connection-limit=" + limit + " allows");
			}
			return openPrimary();
		};
	}

	/**
	 * One of the pool's own connections, so that the checks stay within the connection
	 * limit; a connection of its own only when there is no pool (yet) to borrow from.
	 */
	private Connection openPrimary() throws SQLException {
		DataSource dataSource = (this.pool != null) ? this.pool.get() : null;
		return (dataSource != null) ? dataSource.getConnection() : open(this.primary);
	}

	private static String why(Throwable failure) {
		SQLException sql = (failure instanceof SQLException ex) ? ex
				: (failure.getCause() instanceof SQLException ex) ? ex : null;
		if (sql != null && "53300".equals(sql.getSQLState())) {
			return " (SQLSTATE 53300: the server has no free connection slots; lower db.pool.connection-limit or "
					+ "db.pool.instances, or raise max_connections on the server)";
		}
		return "";
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
