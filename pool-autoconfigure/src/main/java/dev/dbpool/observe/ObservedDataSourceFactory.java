package dev.dbpool.observe;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.config.DbPoolProperties;
import dev.dbpool.config.DbPoolSettings;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Builds the {@link ObservedDataSource} around a pool from the {@code db.pool.slow-query}
 * and {@code db.pool.observation} settings. Every optional feature is decided here, once.
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

	public ObservedDataSourceFactory(DbPoolProperties properties, ObjectProvider<DbPoolSettings> settings,
			ObjectProvider<QueryEventListenerFactory> listenerFactories, Clock clock) {
		this.properties = properties;
		this.settings = settings;
		this.listenerFactories = listenerFactories;
		this.clock = clock;
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
				slowQuery.getMaxSqlLength(), slowQuery.getHistorySize(), this.clock) : null;
		StatementShapes shapes = new StatementShapes(observation.getMaxShapes(), SQL_CACHE_SIZE,
				slowQuery.getMaxSqlLength());
		String poolName = poolName(beanName, pool);
		List<QueryEventListener> listeners = this.listenerFactories.orderedStream()
			.map((factory) -> factory.create(beanName, poolName))
			.toList();
		QueryObserver observer = new QueryObserver(beanName, shapes, new QueryStatistics(this.clock), slowQueryLog,
				slowQuery.isLogParameters(), CompositeQueryEventListener.of(listeners));
		return new ObservedDataSource(pool, observer);
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
		DbPoolSettings effective = this.settings.getIfAvailable();
		if (effective != null && effective.value("poolName") instanceof String name && !name.isBlank()) {
			return name;
		}
		String name = pool.getPoolName();
		return (name != null && !name.isBlank()) ? name : beanName;
	}

}
