package dev.dbpool.observe;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Builds the {@link ObservedDataSource} around a pool from its
 * {@link ObservationOptions}. Every optional feature is decided here, once.
 */
public final class ObservedDataSourceFactory {

	/** Distinct SQL strings whose shape is cached. */
	static final int SQL_CACHE_SIZE = 2048;

	private final ObservationOptions options;

	private final Supplier<List<QueryEventListenerFactory>> listenerFactories;

	private final Clock clock;

	/**
	 * Create a factory.
	 * @param options what is recorded
	 * @param listenerFactories the listeners' factories, in order, asked once per pool
	 * @param clock time source
	 */
	public ObservedDataSourceFactory(ObservationOptions options,
			Supplier<List<QueryEventListenerFactory>> listenerFactories, Clock clock) {
		this.options = options;
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
		ObservationOptions options = this.options;
		SlowQueryLog slowQueryLog = options.slowQueryLog() ? new SlowQueryLog(options.slowQueryThreshold(),
				options.maxSqlLength(), options.historySize(), options.rawSql(), this.clock) : null;
		StatementShapes shapes = new StatementShapes(options.maxShapes(), SQL_CACHE_SIZE, options.maxSqlLength());
		String poolName = poolName(beanName, pool);
		List<QueryEventListener> listeners = this.listenerFactories.get()
			.stream()
			.map((factory) -> factory.create(beanName, poolName))
			.toList();
		QueryObserver observer = new QueryObserver(beanName, shapes, new QueryStatistics(this.clock), slowQueryLog,
				options.logParameters(), CompositeQueryEventListener.of(listeners));
		return new ObservedDataSource(pool, observer);
	}

	/** The slow-query threshold this factory applies. */
	public Duration slowQueryThreshold() {
		return this.options.slowQueryThreshold();
	}

	private static String poolName(String beanName, HikariDataSource pool) {
		String name = pool.getPoolName();
		return (name != null && !name.isBlank()) ? name : beanName;
	}

}
