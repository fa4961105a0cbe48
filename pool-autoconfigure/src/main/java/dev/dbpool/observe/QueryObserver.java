package dev.dbpool.observe;

import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Everything that happens when an observed statement returns: counters, shape statistics,
 * the listener (metrics) and, only for slow statements, the slow-query log. One per
 * observed data source; thread-safe and lock-free on the hot path.
 */
public final class QueryObserver {

	private final String dataSourceName;

	private final StatementShapes shapes;

	private final QueryStatistics statistics;

	private final @Nullable SlowQueryLog slowQueryLog;

	private final long slowThresholdNanos;

	private final boolean captureParameters;

	private final QueryEventListener listener;

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
		this.dataSourceName = dataSourceName;
		this.shapes = shapes;
		this.statistics = statistics;
		this.slowQueryLog = slowQueryLog;
		this.slowThresholdNanos = (slowQueryLog != null) ? slowQueryLog.thresholdNanos() : Long.MAX_VALUE;
		this.captureParameters = captureParameters && slowQueryLog != null;
		this.listener = listener;
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
		current(shape, sql).record(elapsedNanos);
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
		current(shape, sql).record(elapsedNanos);
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
			this.slowQueryLog.record(this.dataSourceName, sql, shape.kind(), elapsedNanos, success, parameters);
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

	/** Zero the counters, forget the shapes and the slow-query history. */
	public void reset() {
		this.statistics.reset();
		this.shapes.reset();
		if (this.slowQueryLog != null) {
			this.slowQueryLog.reset();
		}
	}

}
