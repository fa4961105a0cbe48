package dev.dbpool.datasource;

import dev.dbpool.config.DbPoolSettings;

import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.jdbc.DataSourceUnwrapper;

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
		DbPoolSettings settings = definition.settings();
		HikariConfig config = new HikariConfig();
		config.setPoolName(settings.poolName());
		config.setJdbcUrl(definition.jdbcUrl());
		config.setDriverClassName("org.postgresql.Driver");
		config.setUsername(definition.username());
		config.setPassword(definition.password());
		config.setMaximumPoolSize(settings.connectionLimit());
		int minIdle = ((Number) settings.value("minIdle")).intValue();
		config.setMinimumIdle(minIdle);
		long poolTimeout = settings.poolTimeout().toMillis();
		long hikariTimeout = Math.max(HIKARI_TIMEOUT_FLOOR_MILLIS, poolTimeout);
		config.setConnectionTimeout(hikariTimeout);
		config.setValidationTimeout(Math.min(MAX_VALIDATION_TIMEOUT_MILLIS, hikariTimeout));
		// A fixed-size pool never retires idle connections; HikariCP warns when it is
		// given a timeout.
		config.setIdleTimeout((minIdle < settings.connectionLimit()) ? millis(settings, "idleTimeout") : 0);
		config.setMaxLifetime(millis(settings, "maxLifetime"));
		config.setKeepaliveTime(millis(settings, "keepaliveTime"));
		config.setLeakDetectionThreshold(millis(settings, "leakDetectionThreshold"));
		config.setDataSourceProperties(definition.driverProperties());
		if (!failFast) {
			config.setInitializationFailTimeout(-1);
		}
		return (poolTimeout < HIKARI_TIMEOUT_FLOOR_MILLIS) ? new ShortTimeoutHikariDataSource(config, poolTimeout)
				: new HikariDataSource(config);
	}

	/**
	 * The longest wait for a free connection of a pool: the configured pool timeout of a
	 * pool this factory built (HikariCP's {@code getConnectionTimeout()} shows at least
	 * 250 ms), HikariCP's connection timeout otherwise.
	 * @param pool a HikariCP pool
	 * @return the pool timeout in milliseconds
	 */
	public static long poolTimeoutMillis(HikariDataSource pool) {
		return (pool instanceof ShortTimeoutHikariDataSource shortTimeout) ? shortTimeout.poolTimeoutMillis()
				: pool.getConnectionTimeout();
	}

	private static long millis(DbPoolSettings settings, String name) {
		return ((Duration) settings.value(name)).toMillis();
	}

	/**
	 * The HikariCP pool behind a DataSource bean, through any wrapper (observation,
	 * routing proxies) that unwraps to it.
	 * @param dataSource the DataSource bean
	 * @return the pool
	 * @throws IllegalStateException if no HikariCP pool is behind it
	 */
	public static HikariDataSource pool(DataSource dataSource) {
		HikariDataSource pool = DataSourceUnwrapper.unwrap(dataSource, HikariConfigMXBean.class,
				HikariDataSource.class);
		if (pool == null) {
			throw new IllegalStateException(dataSource + " does not unwrap to a HikariDataSource");
		}
		return pool;
	}

}
