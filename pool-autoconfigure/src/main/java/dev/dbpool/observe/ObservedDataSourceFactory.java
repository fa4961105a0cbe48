package dev.dbpool.observe;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;

/**
 * Builds the {@link ObservedDataSource} around a pool from its
 * {@link ObservationOptions}, and traces it when a {@link QueryTracing} is given (an
 * {@code ObservationRegistry} with handlers). Every optional feature is decided here,
 * once.
 */
public final class ObservedDataSourceFactory {

	/** Distinct SQL strings whose shape is cached. */
	static final int SQL_CACHE_SIZE = 2048;

	private final ObservationOptions options;

	private final Supplier<List<QueryEventListenerFactory>> listenerFactories;

	private final Clock clock;

	private final @Nullable QueryTracing tracing;

	/**
	 * Create a factory that does not trace.
	 * @param options what is recorded
	 * @param listenerFactories the listeners' factories, in order, asked once per pool
	 * @param clock time source
	 */
	public ObservedDataSourceFactory(ObservationOptions options,
			Supplier<List<QueryEventListenerFactory>> listenerFactories, Clock clock) {
		this(options, listenerFactories, clock, null);
	}

	/**
	 * Create a factory.
	 * @param options what is recorded
	 * @param listenerFactories the listeners' factories, in order, asked once per pool
	 * @param clock time source
	 * @param tracing the Micrometer Observations of statements and connections, if any
	 */
	ObservedDataSourceFactory(ObservationOptions options, Supplier<List<QueryEventListenerFactory>> listenerFactories,
			Clock clock, @Nullable QueryTracing tracing) {
		this.options = options;
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
		ObservationOptions options = this.options;
		SlowQueryLog slowQueryLog = options.slowQueryLog() ? new SlowQueryLog(options.slowQueryThreshold(),
				options.maxSqlLength(), options.historySize(), options.rawSql(), this.clock) : null;
		StatementShapes shapes = new StatementShapes(options.maxShapes(), SQL_CACHE_SIZE, options.maxSqlLength());
		String poolName = poolName(beanName, pool);
		List<QueryEventListener> listeners = this.listenerFactories.get()
			.stream()
			.map((factory) -> factory.create(beanName, poolName))
			.toList();
		TransactionTracking tracking = options.trackTransactions() ? new TransactionTracking(
				options.repeatedThreshold(), options.repeatedWarnInterval(), pool.isAutoCommit(), this.clock) : null;
		SlowQueryPlans plans = (slowQueryLog != null && options.plans())
				? new SlowQueryPlans(() -> planConnection(pool), options.plansPerMinute(), options.planCacheTime(),
						options.planTimeout(), this.clock)
				: null;
		QueryObserver observer = new QueryObserver(beanName, shapes, new QueryStatistics(this.clock), slowQueryLog,
				options.logParameters(), CompositeQueryEventListener.of(listeners), tracking, plans);
		Instrumentation timed = TimedInstrumentation.INSTANCE;
		Instrumentation instrumentation = (this.tracing != null) ? this.tracing.instrument(beanName, timed) : timed;
		return new ObservedDataSource(pool, observer, instrumentation);
	}

	/**
	 * The plan connections: one per EXPLAIN, within the pool's connection limit, never
	 * kept between plans.
	 */
	static DataSource planConnection(HikariDataSource pool) {
		return new PlanConnections(pool);
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
