package dev.dbpool.observe;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import dev.dbpool.common.SqlNormalizer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans of slow statements: {@code EXPLAIN (FORMAT TEXT)}, never {@code ANALYZE}, with
 * the statement's own bind parameters, run in a read-only transaction that is rolled back
 * (so it sees nothing of the caller's transaction) on a connection within the pool's
 * connection limit, taken for that plan only and never waited for: a fresh one when a
 * permit is free, else an idle one of the pool. Without either the plan is skipped,
 * counted, and tried again on the shape's next slow run. Bounded: only SELECT, INSERT,
 * UPDATE and DELETE, one plan in flight, at most {@code maxPerMinute} plans a minute, one
 * plan per shape for {@code cacheTime}, a short statement timeout. Literals in the plan
 * text (the bound values among them) are masked.
 */
public final class SlowQueryPlans implements AutoCloseable {

	/** Connections plan capture uses at most at once, per data source. */
	public static final int CONNECTIONS = 1;

	/** Shapes whose plan is cached. */
	static final int MAX_CACHED = 200;

	/** Longest plan text kept. */
	static final int MAX_PLAN_LENGTH = 8000;

	private static final Logger logger = LoggerFactory.getLogger(SlowQueryLog.class);

	private static final Set<StatementKind> EXPLAINABLE = EnumSet.of(StatementKind.SELECT, StatementKind.INSERT,
			StatementKind.UPDATE, StatementKind.DELETE);

	/**
	 * {@code Index Cond: (...)}, {@code Filter: ...}: the detail lines that hold
	 * expressions.
	 */
	private static final Pattern DETAIL_LINE = Pattern.compile("^(\\s*(?:->\\s*)?[A-Z][A-Za-z -]*: )(.*)$");

	private static final Pattern QUOTED = Pattern.compile("'(?:[^']|'')*'");

	private final Supplier<DataSource> connections;

	private final int maxPerMinute;

	private final Duration cacheTime;

	private final Duration timeout;

	private final Clock clock;

	private final ThreadPoolExecutor explainer;

	private final LongAdder skipped = new LongAdder();

	private final Map<String, Plan> cache = new LinkedHashMap<>(16, 0.75f, true);

	private final Set<String> pending = new HashSet<>();

	private @Nullable DataSource dataSource;

	private boolean closed;

	private long windowStartNanos = System.nanoTime();

	private int inWindow;

	/**
	 * Create the plan capture of one data source.
	 * @param connections builds the data source of the plan connection; called once, on
	 * the first plan, and closed with this
	 * @param maxPerMinute most plans captured in one minute
	 * @param cacheTime how long a shape's plan is reused before it is captured again
	 * @param timeout statement timeout of one EXPLAIN
	 * @param clock source of timestamps
	 */
	public SlowQueryPlans(Supplier<DataSource> connections, int maxPerMinute, Duration cacheTime, Duration timeout,
			Clock clock) {
		if (maxPerMinute < 1) {
			throw new IllegalArgumentException(
					"db.pool.slow-query.plan.max-per-minute must be at least 1, was " + maxPerMinute);
		}
		this.connections = connections;
		this.maxPerMinute = maxPerMinute;
		this.cacheTime = cacheTime;
		this.timeout = timeout;
		this.clock = clock;
		this.explainer = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4), (task) -> {
			Thread thread = new Thread(task, "dbpool-explain");
			thread.setDaemon(true);
			return thread;
		});
		this.explainer.allowCoreThreadTimeOut(true);
	}

	/**
	 * A statement was slow: capture its plan unless the shape's plan is cached, the
	 * statement cannot be explained or the budget of this minute is spent. Never blocks.
	 * @param shape its shape
	 * @param sql its SQL
	 * @param parameters its bind parameters, when captured
	 */
	void slow(StatementShape shape, String sql, @Nullable ParameterValues parameters) {
		if (!EXPLAINABLE.contains(shape.kind()) || !isSingleStatement(sql)) {
			return;
		}
		String key = shape.shape();
		@Nullable Object[] values;
		synchronized (this) {
			if (this.closed || this.pending.contains(key)) {
				return;
			}
			Plan cached = this.cache.get(key);
			if (cached != null && this.clock.instant().isBefore(cached.capturedAt().plus(this.cacheTime))) {
				logger.debug("Plan of slow query {} (captured {}):\n{}", key, cached.capturedAt(), cached.text());
				return;
			}
			values = (parameters != null) ? parameters.positional() : new Object[0];
			if (values == null) {
				return;
			}
			long now = System.nanoTime();
			if (now - this.windowStartNanos >= TimeUnit.MINUTES.toNanos(1)) {
				this.windowStartNanos = now;
				this.inWindow = 0;
			}
			if (this.inWindow >= this.maxPerMinute) {
				return;
			}
			this.inWindow++;
			this.pending.add(key);
		}
		try {
			this.explainer.execute(() -> capture(key, sql, values));
		}
		catch (RejectedExecutionException ex) {
			synchronized (this) {
				this.pending.remove(key);
			}
		}
	}

	private void capture(String key, String sql, @Nullable Object[] values) {
		Plan plan;
		try {
			plan = new Plan(mask(explain(sql, values)), this.clock.instant());
			logger.debug("Plan of slow query {}:\n{}", key, plan.text());
		}
		catch (SQLTransientConnectionException ex) {
			// No connection within the pool's limit: nothing is cached, so the next slow
			// run of the shape tries again.
			this.skipped.increment();
			logger.debug("Plan of slow query {} skipped: {}", key, ex.getMessage());
			synchronized (this) {
				this.pending.remove(key);
			}
			return;
		}
		catch (SQLException ex) {
			// The message may quote a bound value; the SQLSTATE says enough.
			plan = new Plan("(no plan: EXPLAIN failed with SQLSTATE " + ex.getSQLState() + ")", this.clock.instant());
			logger.debug("EXPLAIN of slow query {} failed with SQLSTATE {}", key, ex.getSQLState());
		}
		catch (RuntimeException ex) {
			plan = new Plan("(no plan: " + ex.getClass().getSimpleName() + ")", this.clock.instant());
			logger.debug("EXPLAIN of slow query {} failed", key, ex);
		}
		synchronized (this) {
			this.pending.remove(key);
			this.cache.put(key, plan);
			if (this.cache.size() > MAX_CACHED) {
				String eldest = this.cache.keySet().iterator().next();
				this.cache.remove(eldest);
			}
		}
	}

	private String explain(String sql, @Nullable Object[] values) throws SQLException {
		DataSource source = dataSource();
		if (source == null) {
			throw new SQLException("plan capture is closed", "08003");
		}
		try (Connection connection = source.getConnection()) {
			connection.setAutoCommit(false);
			try {
				try (Statement setup = connection.createStatement()) {
					setup.execute("SET TRANSACTION READ ONLY");
					setup.execute("SET LOCAL statement_timeout = " + Math.max(1, this.timeout.toMillis()));
				}
				try (PreparedStatement explain = connection.prepareStatement("EXPLAIN (FORMAT TEXT) " + sql)) {
					explain.setQueryTimeout((int) Math.max(1, this.timeout.toSeconds()));
					for (int i = 0; i < values.length; i++) {
						explain.setObject(i + 1, ParameterValues.unwrapNull(values[i]));
					}
					StringBuilder text = new StringBuilder();
					try (ResultSet rows = explain.executeQuery()) {
						while (rows.next() && text.length() < MAX_PLAN_LENGTH) {
							if (!text.isEmpty()) {
								text.append('\n');
							}
							text.append(rows.getString(1));
						}
					}
					return text.toString();
				}
			}
			finally {
				connection.rollback();
				connection.setAutoCommit(true);
			}
		}
	}

	private synchronized @Nullable DataSource dataSource() {
		if (this.closed) {
			return null;
		}
		if (this.dataSource == null) {
			this.dataSource = this.connections.get();
		}
		return this.dataSource;
	}

	/**
	 * The cached plan of a shape.
	 * @param shape the shape text
	 * @return the plan text, {@code null} when none was captured
	 */
	public synchronized @Nullable String planOf(String shape) {
		Plan plan = this.cache.get(shape);
		return (plan != null) ? plan.text() : null;
	}

	/**
	 * Plans skipped because no connection could be had within the pool's connection
	 * limit.
	 * @return the count
	 */
	public long skipped() {
		return this.skipped.sum();
	}

	/** Whether the plan connection's data source was ever built. */
	public synchronized boolean connectionOpened() {
		return this.dataSource != null;
	}

	/** Forget every cached plan. */
	synchronized void reset() {
		this.cache.clear();
	}

	@Override
	public void close() {
		DataSource source;
		synchronized (this) {
			this.closed = true;
			source = this.dataSource;
			this.dataSource = null;
		}
		this.explainer.shutdownNow();
		if (source instanceof AutoCloseable closeable) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				logger.debug("Closing the plan connection failed", ex);
			}
		}
	}

	/**
	 * Mask the literals in a plan's expressions ({@code Index Cond: (id = 42)} becomes
	 * {@code Index Cond: (id = ?)}); node lines with their cost estimates stay as they
	 * are.
	 * @param plan the plan text
	 * @return the masked text
	 */
	static String mask(String plan) {
		StringBuilder out = new StringBuilder(plan.length());
		for (String line : plan.split("\n", -1)) {
			if (!out.isEmpty()) {
				out.append('\n');
			}
			Matcher detail = DETAIL_LINE.matcher(line);
			if (!line.contains("(cost=") && detail.matches()) {
				out.append(detail.group(1)).append(SqlNormalizer.normalize(detail.group(2), MAX_PLAN_LENGTH));
			}
			else {
				out.append(QUOTED.matcher(line).replaceAll("?"));
			}
		}
		return out.toString();
	}

	/**
	 * Whether SQL is one statement: a {@code ;} outside quotes and comments, other than
	 * at the end, would make EXPLAIN run what follows it.
	 */
	static boolean isSingleStatement(String sql) {
		int length = sql.length();
		int i = 0;
		while (i < length) {
			char c = sql.charAt(i);
			if (c == '\'' || c == '"') {
				int end = sql.indexOf(c, i + 1);
				while (end > 0 && end + 1 < length && sql.charAt(end + 1) == c) {
					end = sql.indexOf(c, end + 2);
				}
				if (end < 0) {
					return false;
				}
				i = end + 1;
			}
			else if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
				int end = sql.indexOf('\n', i);
				i = (end < 0) ? length : end + 1;
			}
			else if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
				int end = sql.indexOf("*/", i + 2);
				if (end < 0) {
					return false;
				}
				i = end + 2;
			}
			else if (c == '$' && i + 1 < length
					&& (sql.charAt(i + 1) == '$' || Character.isLetter(sql.charAt(i + 1)))) {
				// Dollar quoting cannot be told from an identifier cheaply: not
				// explained.
				int tag = sql.indexOf('$', i + 1);
				if (tag < 0) {
					i++;
					continue;
				}
				return false;
			}
			else if (c == ';') {
				return sql.substring(i).replace(";", "").isBlank();
			}
			else {
				i++;
			}
		}
		return true;
	}

	private record Plan(String text, Instant capturedAt) {
	}

}
