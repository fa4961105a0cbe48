package dev.dbpool.observe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import dev.dbpool.common.SqlNormalizer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each slow statement once, as one structured WARN line, and keeps the most recent
 * ones in a bounded ring buffer. Literals in the SQL are shown as {@code ?} unless raw
 * SQL was asked for. Only reached once a statement has returned and its real elapsed time
 * is known to be at or above the threshold.
 */
public final class SlowQueryLog {

	private static final Logger logger = LoggerFactory.getLogger(SlowQueryLog.class);

	private static final int MAX_PARAMETER_LENGTH = 100;

	private final Duration threshold;

	private final long thresholdNanos;

	private final int maxSqlLength;

	private final int historySize;

	private final Clock clock;

	private final ArrayDeque<SlowQuery> history;

	/** Masks literals, or only truncates when raw SQL was asked for; decided once. */
	private final UnaryOperator<String> shownSql;

	/**
	 * Create a log.
	 * @param threshold elapsed time from which a statement is slow
	 * @param maxSqlLength longest SQL logged or kept
	 * @param historySize number of recent slow statements kept; 0 keeps none
	 * @param clock source of timestamps
	 */
	public SlowQueryLog(Duration threshold, int maxSqlLength, int historySize, Clock clock) {
		this(threshold, maxSqlLength, historySize, false, clock);
	}

	/**
	 * Create a log.
	 * @param threshold elapsed time from which a statement is slow
	 * @param maxSqlLength longest SQL logged or kept
	 * @param historySize number of recent slow statements kept; 0 keeps none
	 * @param rawSql whether SQL is logged and kept with its literals, instead of with
	 * {@code ?} in their place
	 * @param clock source of timestamps
	 */
	public SlowQueryLog(Duration threshold, int maxSqlLength, int historySize, boolean rawSql, Clock clock) {
		if (threshold.isNegative() || threshold.isZero()) {
			throw new IllegalArgumentException(
					"The slow-query threshold must be positive, was " + threshold.toMillis() + "ms");
		}
		this.threshold = threshold;
		this.thresholdNanos = threshold.toNanos();
		this.maxSqlLength = Math.max(maxSqlLength, 20);
		this.historySize = Math.max(historySize, 0);
		this.clock = clock;
		this.history = new ArrayDeque<>(Math.min(this.historySize, 1024));
		this.shownSql = rawSql ? this::truncate : (sql) -> SqlNormalizer.mask(sql, this.maxSqlLength);
	}

	public Duration threshold() {
		return this.threshold;
	}

	long thresholdNanos() {
		return this.thresholdNanos;
	}

	void record(String dataSourceName, String sql, StatementShape shape, long elapsedNanos, boolean success,
			@Nullable ParameterValues parameters) {
		StatementKind kind = shape.kind();
		String truncated = this.shownSql.apply(sql);
		long durationMillis = elapsedNanos / 1_000_000;
		Instant now = this.clock.instant();
		if (this.historySize > 0) {
			synchronized (this.history) {
				if (this.history.size() >= this.historySize) {
					this.history.removeFirst();
				}
				this.history.addLast(new SlowQuery(truncated, durationMillis, now, shape.shape()));
			}
		}
		if (logger.isWarnEnabled()) {
			var event = logger.atWarn()
				.addKeyValue("dataSource", dataSourceName)
				.addKeyValue("durationMs", durationMillis)
				.addKeyValue("kind", kind.tag())
				.addKeyValue("outcome", success ? "success" : "error");
			String renderedParameters = null;
			if (parameters != null) {
				renderedParameters = parameters.render(sql, MAX_PARAMETER_LENGTH);
				event = event.addKeyValue("parameters", renderedParameters);
			}
			event.log("Slow query detected ({}ms): {} [dataSource={}{}]", durationMillis, truncated, dataSourceName,
					(renderedParameters != null) ? ", parameters=" + renderedParameters : "");
		}
	}

	private String truncate(String sql) {
		String single = sql.strip();
		return (single.length() > this.maxSqlLength) ? single.substring(0, this.maxSqlLength) + "..." : single;
	}

	/**
	 * Most recent slow statements, newest first.
	 * @return a copy of the ring buffer
	 */
	public List<SlowQuery> recent() {
		synchronized (this.history) {
			List<SlowQuery> copy = new ArrayList<>(this.history);
			java.util.Collections.reverse(copy);
			return copy;
		}
	}

	public void reset() {
		synchronized (this.history) {
			this.history.clear();
		}
	}

	/**
	 * One entry of {@code slowQueries}.
	 *
	 * @param query the SQL with its literals masked (unless raw SQL was asked for),
	 * truncated to {@code max-sql-length}
	 * @param duration elapsed time in milliseconds
	 * @param timestamp when the statement returned
	 * @param shape the statement's shape, which its plan is cached under
	 */
	public record SlowQuery(String query, long duration, Instant timestamp, String shape) {

	}

}
