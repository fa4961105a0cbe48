package dev.dbpool.observe;

import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Everything that happens when an observed statement returns: counters, shape statistics,
 * the listener (metrics), the connection's transaction and, only for slow statements, the
 * slow-query log and plan capture. One per observed data source, and a light copy per
 * borrowed connection when transactions are tracked; thread-safe and lock-free on the hot
 * path.
 */
public final class QueryObserver {

	private final String dataSourceName;

	private final StatementShapes shapes;

	private final QueryStatistics statistics;

	private final @Nullable SlowQueryLog slowQueryLog;

	private final long slowThresholdNanos;

	private final boolean captureParameters;

	private final boolean logParameters;

	private final QueryEventListener listener;

	private final @Nullable TransactionTracking tracking;

	private final @Nullable SlowQueryPlans plans;

	/**
	 * This connection's activity; {@link ConnectionActivity#INERT} on the shared
	 * observer.
	 */
	private final ConnectionActivity activity;

	/**
	 * Create an observer.
	 * @param dataSourceName name shown in the slow-query log
	 * @param shapes shape statistics
	 * @param statistics global counters
	 * @param slowQueryLog the slow-query log, {@code null} when disabled
	 * @param captureParameters whether bind parameters are captured for the slow-query
	 * log
	 * @param listener receives every statement (metrics)
	 */
	public QueryObserver(String dataSourceName, StatementShapes shapes, QueryStatistics statistics,
			@Nullable SlowQueryLog slowQueryLog, boolean captureParameters, QueryEventListener listener) {
		this(dataSourceName, shapes, statistics, slowQueryLog, captureParameters, listener, null, null);
	}

	/**
	 * Create an observer that also follows transactions and web requests and captures
	 * plans of slow statements.
	 * @param dataSourceName name shown in the slow-query log
	 * @param shapes shape statistics
	 * @param statistics global counters
	 * @param slowQueryLog the slow-query log, {@code null} when disabled
	 * @param logParameters whether bind parameters are logged with slow statements
	 * @param listener receives every statement (metrics)
	 * @param tracking per-transaction and per-request tracking, {@code null} when off
	 * @param plans plan capture, {@code null} when off (it needs the slow-query log)
	 */
	public QueryObserver(String dataSourceName, StatementShapes shapes, QueryStatistics statistics,
			@Nullable SlowQueryLog slowQueryLog, boolean logParameters, QueryEventListener listener,
			@Nullable TransactionTracking tracking, @Nullable SlowQueryPlans plans) {
		this.dataSourceName = dataSourceName;
		this.shapes = shapes;
		this.statistics = statistics;
		this.slowQueryLog = slowQueryLog;
		this.slowThresholdNanos = (slowQueryLog != null) ? slowQueryLog.thresholdNanos() : Long.MAX_VALUE;
		this.plans = (slowQueryLog != null) ? plans : null;
		this.logParameters = logParameters && slowQueryLog != null;
		// Plans bind the statement's parameters again, so they need them captured.
		this.captureParameters = this.logParameters || this.plans != null;
		this.listener = listener;
		this.tracking = tracking;
		if (tracking != null) {
			tracking.listener(listener);
		}
		this.activity = ConnectionActivity.INERT;
	}

	private QueryObserver(QueryObserver shared, ConnectionActivity activity) {
		this.dataSourceName = shared.dataSourceName;
		this.shapes = shared.shapes;
		this.statistics = shared.statistics;
		this.slowQueryLog = shared.slowQueryLog;
		this.slowThresholdNanos = shared.slowThresholdNanos;
		this.captureParameters = shared.captureParameters;
		this.logParameters = shared.logParameters;
		this.listener = shared.listener;
		this.tracking = shared.tracking;
		this.plans = shared.plans;
		this.activity = activity;
	}

	/**
	 * The observer of one borrowed connection: the same counters, plus that connection's
	 * transaction. Itself when transactions are not tracked. Decided when the data source
	 * is built.
	 * @return the observer to give the connection's statements
	 */
	QueryObserver forConnection() {
		TransactionTracking tracking = this.tracking;
		return (tracking != null) ? new QueryObserver(this, tracking.newConnection()) : this;
	}

	/**
	 * The connection's {@code setAutoCommit} returned.
	 * @param autoCommit the new mode
	 */
	void autoCommitChanged(boolean autoCommit) {
		this.activity.autoCommitChanged(autoCommit);
	}

	/**
	 * The connection's {@code commit} or {@code rollback} returned or threw.
	 * @param committed whether it was a commit
	 */
	void transactionEnded(boolean committed) {
		this.activity.ended(committed);
	}

	/** The connection was closed (returned to the pool). */
	void connectionClosed() {
		this.activity.closed();
	}

	/** An observer with default limits and no listener, for tests and the benchmark. */
	public static QueryObserver of(String dataSourceName, @Nullable SlowQueryLog slowQueryLog) {
		return new QueryObserver(dataSourceName, new StatementShapes(500, 2048, 1000),
				new QueryStatistics(Clock.systemUTC()), slowQueryLog, false, QueryEventListener.NONE);
	}

	public String dataSourceName() {
		return this.dataSourceName;
	}

	/**
	 * Shape of a statement, resolved once when it is prepared.
	 * @param sql the SQL as sent to the driver
	 * @return its shape
	 */
	public StatementShape shapeOf(String sql) {
		return this.shapes.shapeOf(sql);
	}

	/** Whether statements should capture bind parameters. Decided at startup. */
	public boolean capturesParameters() {
		return this.captureParameters;
	}

	/**
	 * A statement returned normally.
	 * @param shape its shape, from {@link #shapeOf}
	 * @param sql its SQL
	 * @param elapsedNanos elapsed time of the execute call
	 * @param parameters captured parameters, if any
	 */
	public void succeeded(StatementShape shape, String sql, long elapsedNanos, @Nullable ParameterValues parameters) {
		this.statistics.recordExecution(elapsedNanos);
		StatementShape current = current(shape, sql);
		current.record(elapsedNanos);
		this.activity.executed(current);
		this.listener.succeeded(shape.kind(), elapsedNanos);
		if (elapsedNanos >= this.slowThresholdNanos) {
			slow(shape, sql, elapsedNanos, true, parameters);
		}
	}

	/**
	 * A statement threw.
	 * @param shape its shape, from {@link #shapeOf}
	 * @param sql its SQL
	 * @param elapsedNanos elapsed time of the execute call
	 * @param failure what it threw
	 * @param parameters captured parameters, if any
	 */
	public void failed(StatementShape shape, String sql, long elapsedNanos, Throwable failure,
			@Nullable ParameterValues parameters) {
		this.statistics.recordExecution(elapsedNanos);
		this.statistics.recordError();
		StatementShape current = current(shape, sql);
		current.record(elapsedNanos);
		this.activity.executed(current);
		this.listener.failed(shape.kind(), elapsedNanos, sqlState(failure));
		if (elapsedNanos >= this.slowThresholdNanos) {
			slow(shape, sql, elapsedNanos, false, parameters);
		}
	}

	private StatementShape current(StatementShape shape, String sql) {
		return shape.isRetired() ? this.shapes.shapeOf(sql) : shape;
	}

	private void slow(StatementShape shape, String sql, long elapsedNanos, boolean success,
			@Nullable ParameterValues parameters) {
		this.statistics.recordSlow();
		this.listener.slow(shape.kind(), elapsedNanos);
		if (this.slowQueryLog != null) {
			this.slowQueryLog.record(this.dataSourceName, sql, shape, elapsedNanos, success,
					this.logParameters ? parameters : null);
		}
		if (this.plans != null) {
			this.plans.slow(shape, sql, parameters);
		}
	}

	static @Nullable String sqlState(Throwable failure) {
		Throwable current = failure;
		while (current != null) {
			if (current instanceof SQLException sqlException && sqlException.getSQLState() != null) {
				return sqlException.getSQLState();
			}
			current = current.getCause();
		}
		return null;
	}

	public QueryStatistics.Snapshot statistics() {
		return this.statistics.snapshot();
	}

	public List<StatementShape.ShapeSummary> topQueries(int limit) {
		return this.shapes.top(limit);
	}

	public List<SlowQueryLog.SlowQuery> slowQueries() {
		return (this.slowQueryLog != null) ? this.slowQueryLog.recent() : List.of();
	}

	public @Nullable SlowQueryLog slowQueryLog() {
		return this.slowQueryLog;
	}

	/** Plan capture of slow statements, {@code null} when off. */
	public @Nullable SlowQueryPlans plans() {
		return this.plans;
	}

	/** Transaction and request tracking, {@code null} when off. */
	public @Nullable TransactionTracking transactionTracking() {
		return this.tracking;
	}

	/** Stop the plan capture and close its connection. */
	public void close() {
		if (this.plans != null) {
			this.plans.close();
		}
	}

	/** Zero the counters, forget the shapes and the slow-query history. */
	public void reset() {
		this.statistics.reset();
		this.shapes.reset();
		if (this.slowQueryLog != null) {
			this.slowQueryLog.reset();
		}
		if (this.tracking != null) {
			this.tracking.reset();
		}
		if (this.plans != null) {
			this.plans.reset();
		}
	}

}
