package dev.dbpool.observe;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.DbPoolProperties;
import dev.dbpool.datasource.DbPoolSettings;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Builds the {@link ObservedDataSource} around a pool from the {@code db.pool.slow-query}
 * and {@code db.pool.observation} settings, and traces it when an
 * {@code ObservationRegistry} with handlers is present. Every optional feature is decided
 * here, once.
 */
public final class ObservedDataSourceFactory {

	/** Slow-query threshold when neither the property nor the effective settings say. */
	static final Duration DEFAULT_SLOW_QUERY_THRESHOLD = Duration.ofSeconds(1);

	/** Distinct SQL strings whose shape is cached. */
	static final int SQL_CACHE_SIZE = 2048;

	private final DbPoolProperties properties;

	private final ObjectProvider<DbPoolSettings> settings;

	private final ObjectProvider<QueryEventListenerFactory> listenerFactories;

	private final Clock clock;

	private final @Nullable QueryTracing tracing;

	public ObservedDataSourceFactory(DbPoolProperties properties, ObjectProvider<DbPoolSettings> settings,
			ObjectProvider<QueryEventListenerFactory> listenerFactories, Clock clock) {
		this(properties, settings, listenerFactories, clock, null);
	}

	ObservedDataSourceFactory(DbPoolProperties properties, ObjectProvider<DbPoolSettings> settings,
			ObjectProvider<QueryEventListenerFactory> listenerFactories, Clock clock, @Nullable QueryTracing tracing) {
		this.properties = properties;
		this.settings = settings;
		this.listenerFactories = listenerFactories;
		this.clock = clock;
		this.tracing = tracing;
	}

	/**
	 * Wrap a pool.
	 * @param beanName the data source's bean name
	 * @param pool the pool
	 * @return the observed data source
	 */
	public ObservedDataSource wrap(String beanName, HikariDataSource pool) {
		DbPoolProperties.SlowQuery slowQuery = this.properties.getSlowQuery();
		DbPoolProperties.Observation observation = this.properties.getObservation();
		SlowQueryLog slowQueryLog = slowQuery.isEnabled() ? new SlowQueryLog(slowQueryThreshold(),
				slowQuery.getMaxSqlLength(), slowQuery.getHistorySize(), slowQuery.isRawSql(), this.clock) : null;
		StatementShapes shapes = new StatementShapes(observation.getMaxShapes(), SQL_CACHE_SIZE,
				slowQuery.getMaxSqlLength());
		String poolName = poolName(beanName, pool);
		List<QueryEventListener> listeners = this.listenerFactories.orderedStream()
			.map((factory) -> factory.create(beanName, poolName))
			.toList();
		TransactionTracking tracking = observation.isTrackTransactions()
				? new TransactionTracking(observation.getRepeatedThreshold(), observation.getRepeatedWarnInterval(),
						pool.isAutoCommit(), this.clock)
				: null;
		DbPoolProperties.SlowQuery.Plan plan = slowQuery.getPlan();
		SlowQueryPlans plans = (slowQueryLog != null && plan.isEnabled())
				? new SlowQueryPlans(() -> planConnection(pool, plan.getTimeout()), plan.getMaxPerMinute(),
						plan.getCacheTime(), plan.getTimeout(), this.clock)
				: null;
		QueryObserver observer = new QueryObserver(beanName, shapes, new QueryStatistics(this.clock), slowQueryLog,
				slowQuery.isLogParameters(), CompositeQueryEventListener.of(listeners), tracking, plans);
		Instrumentation timed = TimedInstrumentation.INSTANCE;
		Instrumentation instrumentation = (this.tracing != null) ? this.tracing.instrument(beanName, timed) : timed;
		return new ObservedDataSource(pool, observer, instrumentation);
	}

	/**
	 * The plan connection: a pool of at most one connection with the application pool's
	 * connection settings, read-only and autocommit, opened on the first plan and closed
	 * after a minute unused. It is the one connection plan capture adds per instance.
	 */
	static HikariDataSource planConnection(HikariDataSource pool, Duration timeout) {
		HikariConfig config = new HikariConfig();
		pool.copyStateTo(config);
		config.setPoolName(((pool.getPoolName() != null) ? pool.getPoolName() : "dbpool") + "-plans");
		// Not one of the application's pools: no meters, no health checks of its own.
		if (config.getMetricRegistry() != null) {
			config.setMetricRegistry(null);
		}
		if (config.getMetricsTrackerFactory() != null) {
			config.setMetricsTrackerFactory(null);
		}
		config.setHealthCheckRegistry(null);
		config.setMaximumPoolSize(SlowQueryPlans.CONNECTIONS);
		config.setMinimumIdle(0);
		config.setIdleTimeout(Duration.ofMinutes(1).toMillis());
		config.setConnectionTimeout(Math.max(250, timeout.toMillis()));
		config.setInitializationFailTimeout(-1);
		config.setLeakDetectionThreshold(0);
		config.setRegisterMbeans(false);
		config.setAutoCommit(true);
		config.setReadOnly(true);
		return new HikariDataSource(config);
	}

	/**
	 * The slow-query threshold: {@code db.pool.slow-query.threshold}, else the effective
	 * settings' value, else one second.
	 * @return the threshold
	 */
	public Duration slowQueryThreshold() {
		Duration configured = this.properties.getSlowQuery().getThreshold();
		if (configured != null) {
			return configured;
		}
		DbPoolSettings effective = this.settings.getIfAvailable();
		if (effective != null && effective.value("slowQueryThreshold") instanceof Duration duration) {
			return duration;
		}
		return DEFAULT_SLOW_QUERY_THRESHOLD;
	}

	private String poolName(String beanName, HikariDataSource pool) {
		// Each pool its own tag: the replica and the additional pools are named apart.
		String own = pool.getPoolName();
		if (own != null && !own.isBlank() && !own.startsWith("HikariPool-")) {
			return own;
		}
		DbPoolSettings effective = this.settings.getIfAvailable();
		if (effective != null && effective.value("poolName") instanceof String name && !name.isBlank()) {
			return name;
		}
		String name = pool.getPoolName();
		return (name != null && !name.isBlank()) ? name : beanName;
	}

}
