package dev.dbpool.datasource;

import java.util.List;
import java.util.Properties;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;
import dev.dbpool.common.HikariPools;
import dev.dbpool.config.DbPoolSettings;
import dev.dbpool.config.PoolSettingTable;
import org.jspecify.annotations.Nullable;
import org.postgresql.Driver;
import org.postgresql.PGProperty;

/** Builds the tuned {@link HikariDataSource} from a resolved {@link PoolDefinition}. */
public final class PoolDataSourceFactory {

	private static final long MAX_VALIDATION_TIMEOUT_MILLIS = 5000;

	/**
	 * HikariCP's smallest connection and validation timeout; it replaces shorter ones.
	 */
	static final long HIKARI_TIMEOUT_FLOOR_MILLIS = 250;

	private PoolDataSourceFactory() {
	}

	/**
	 * Create and start the pool, so that its connections are open before the first
	 * request and its statistics are live from the start. Metrics trackers can still be
	 * attached to a started pool.
	 * @param definition the resolved pool
	 * @return a new, started pool
	 */
	public static HikariDataSource create(PoolDefinition definition) {
		return create(definition, true);
	}

	/**
	 * Create and start the pool.
	 * @param definition the resolved pool
	 * @param failFast whether an unreachable server fails the start (false lets the pool
	 * start empty and connect in the background, as a read replica with fallback needs)
	 * @return a new, started pool
	 */
	public static HikariDataSource create(PoolDefinition definition, boolean failFast) {
		return create(definition, failFast, List.of());
	}

	/**
	 * Create and start the pool.
	 * @param definition the resolved pool
	 * @param failFast whether an unreachable server fails the start
	 * @param customizers applied in order after the starter's settings, before the pool
	 * starts
	 * @return a new, started pool
	 */
	public static HikariDataSource create(PoolDefinition definition, boolean failFast,
			List<HikariConfigCustomizer> customizers) {
		DbPoolSettings settings = definition.settings();
		HikariConfig config = new HikariConfig();
		config.setPoolName(settings.poolName());
		config.setJdbcUrl(definition.jdbcUrl());
		config.setDriverClassName("org.postgresql.Driver");
		config.setUsername(definition.username());
		config.setPassword(definition.password());
		int limit = settings.connectionLimit();
		config.setMaximumPoolSize(limit);
		int minIdle = settings.get(PoolSettingTable.MIN_IDLE);
		config.setMinimumIdle(minIdle);
		long poolTimeout = settings.poolTimeout().toMillis();
		long hikariTimeout = Math.max(HIKARI_TIMEOUT_FLOOR_MILLIS, poolTimeout);
		config.setConnectionTimeout(hikariTimeout);
		config.setValidationTimeout(Math.min(MAX_VALIDATION_TIMEOUT_MILLIS, hikariTimeout));
		// A fixed-size pool never retires idle connections; HikariCP warns when it is
		// given a timeout.
		config.setIdleTimeout((minIdle < limit) ? settings.get(PoolSettingTable.IDLE_TIMEOUT).toMillis() : 0);
		config.setMaxLifetime(settings.get(PoolSettingTable.MAX_LIFETIME).toMillis());
		config.setKeepaliveTime(settings.get(PoolSettingTable.KEEPALIVE_TIME).toMillis());
		config.setLeakDetectionThreshold(settings.get(PoolSettingTable.LEAK_DETECTION_THRESHOLD).toMillis());
		config.setDataSourceProperties(definition.driverProperties());
		if (!failFast) {
			config.setInitializationFailTimeout(-1);
		}
		customizers.forEach((customizer) -> customizer.customize(config));
		// Built from the customized config, so that a customizer's URL, credentials and
		// driver properties reach the connections; a customizer's own DataSource wins.
		TransactionScopedDataSource connections = (config.getDataSource() == null)
				? transactionScoped(definition, config) : null;
		if (connections != null) {
			config.setDataSource(connections);
		}
		// A PoolDefinition of the application's own may not hold the setting: no queue
		// then.
		HikariDataSource pool = Boolean.TRUE.equals(settings.find(PoolSettingTable.FAIR_ADMISSION))
				? new FairAdmissionHikariDataSource(config,
						(config.getConnectionTimeout() == hikariTimeout) ? poolTimeout : config.getConnectionTimeout())
				: (poolTimeout < HIKARI_TIMEOUT_FLOOR_MILLIS && config.getConnectionTimeout() == hikariTimeout)
						? new ShortTimeoutHikariDataSource(config, poolTimeout) : new HikariDataSource(config);
		if (connections != null) {
			connections.pool(pool);
			VanishedBackendWatchdog.start(pool, connections, definition);
		}
		return pool;
	}

	/**
	 * The longest wait for a free connection of a pool: the configured pool timeout of a
	 * pool this factory built (HikariCP's {@code getConnectionTimeout()} shows at least
	 * 250 ms), HikariCP's connection timeout otherwise.
	 * @param pool a HikariCP pool
	 * @return the pool timeout in milliseconds
	 */
	public static long poolTimeoutMillis(HikariDataSource pool) {
		if (pool instanceof FairAdmissionHikariDataSource fair) {
			return fair.poolTimeoutMillis();
		}
		return (pool instanceof ShortTimeoutHikariDataSource shortTimeout) ? shortTimeout.poolTimeoutMillis()
				: pool.getConnectionTimeout();
	}

	/**
	 * The driver-level DataSource under HikariCP: per-transaction isolation and read-only
	 * behind PgBouncer, the plain driver connection otherwise. The JDBC URL and driver
	 * properties stay on the config too, for whatever reads them (the health probe, the
	 * endpoints).
	 */
	private static TransactionScopedDataSource transactionScoped(PoolDefinition definition, HikariConfig config) {
		DbPoolSettings settings = definition.settings();
		String server = ServerSetupInspection.serverOf(config.getJdbcUrl());
		String sessionState = settings.find(PoolSettingTable.PGBOUNCER_SESSION_STATE);
		SessionStateStatements.Mode mode = (sessionState != null) ? SessionStateStatements.Mode.of(sessionState) : null;
		DriverDataSource driver = new DriverDataSource(config.getJdbcUrl(), "org.postgresql.Driver",
				config.getDataSourceProperties(), config.getUsername(), config.getPassword());
		return new TransactionScopedDataSource(driver, Boolean.TRUE.equals(settings.find(PoolSettingTable.PGBOUNCER)),
				new SessionStateStatements((mode != null) ? mode : SessionStateStatements.Mode.WARN, server), server,
				readOnlyMode(config));
	}

	/** pgjdbc's readOnlyMode, from the driver properties or the JDBC URL. */
	private static @Nullable String readOnlyMode(HikariConfig config) {
		String property = config.getDataSourceProperties().getProperty(PGProperty.READ_ONLY_MODE.getName());
		if (property != null) {
			return property;
		}
		Properties parsed = Driver.parseURL(config.getJdbcUrl(), new Properties());
		return (parsed != null) ? parsed.getProperty(PGProperty.READ_ONLY_MODE.getName()) : null;
	}

	/**
	 * The HikariCP pool behind a DataSource bean, through any wrapper (observation,
	 * routing proxies) that unwraps to it.
	 * @param dataSource the DataSource bean
	 * @return the pool
	 * @throws IllegalStateException if no HikariCP pool is behind it
	 */
	public static HikariDataSource pool(DataSource dataSource) {
		return HikariPools.require(dataSource);
	}

}
