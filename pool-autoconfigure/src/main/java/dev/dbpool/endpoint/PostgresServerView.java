package dev.dbpool.endpoint;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import dev.dbpool.common.SqlNormalizer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's side of the picture: connections to this database by state
 * ({@code pg_stat_activity}), {@code max_connections}, the database size and, when
 * {@code pg_stat_statements} is installed, the server's top statements by total time.
 * Read on demand, cached for {@code server-view-cache-time}, and read on its own thread
 * so that a caller waits at most {@code server-view-timeout}: with the pool exhausted the
 * view reports {@code unknown} instead of hanging the endpoint, and at most one read is
 * ever in flight.
 */
public final class PostgresServerView implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(PostgresServerView.class);

	private static final String CONNECTIONS_BY_STATE = "SELECT coalesce(state, 'unknown'), count(*) FROM pg_stat_activity "
			+ "WHERE datname = current_database() GROUP BY 1 ORDER BY 1";

	private static final String LIMITS = "SELECT current_setting('max_connections')::int, "
			+ "pg_database_size(current_database())";

	private static final String PG_STAT_STATEMENTS_INSTALLED = "SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'";

	private static final int MAX_QUERY_LENGTH = 1000;

	private final DataSource pool;

	private final int topStatements;

	private final Duration cacheTime;

	private final Duration timeout;

	private final Clock clock;

	private final ExecutorService reader = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "dbpool-server-view");
		thread.setDaemon(true);
		return thread;
	});

	private @Nullable Map<String, Object> cached;

	private @Nullable Instant cachedAt;

	private @Nullable CompletableFuture<Map<String, Object>> inFlight;

	/**
	 * Create a view.
	 * @param pool the raw pool (not the observed wrapper, so these reads are not counted
	 * as application queries)
	 * @param cacheTime how long one reading is served
	 * @param timeout longest time a caller waits for a fresh reading
	 * @param clock time source
	 */
	public PostgresServerView(DataSource pool, Duration cacheTime, Duration timeout, Clock clock) {
		this(pool, cacheTime, timeout, 10, clock);
	}

	/**
	 * Create a view.
	 * @param pool the raw pool (not the observed wrapper, so these reads are not counted
	 * as application queries)
	 * @param cacheTime how long one reading is served
	 * @param timeout longest time a caller waits for a fresh reading
	 * @param topStatements how many of the server's statements are listed
	 * @param clock time source
	 */
	public PostgresServerView(DataSource pool, Duration cacheTime, Duration timeout, int topStatements, Clock clock) {
		this.pool = pool;
		this.topStatements = Math.max(1, topStatements);
		this.cacheTime = cacheTime;
		this.timeout = timeout;
		this.clock = clock;
	}

	/**
	 * The current view, from the cache when fresh enough.
	 * @return the {@code server} section
	 */
	public Map<String, Object> view() {
		CompletableFuture<Map<String, Object>> reading;
		synchronized (this) {
			Instant now = this.clock.instant();
			if (this.cached != null && this.cachedAt != null && now.isBefore(this.cachedAt.plus(this.cacheTime))) {
				return this.cached;
			}
			reading = this.inFlight;
			if (reading == null) {
				reading = CompletableFuture.supplyAsync(this::read, this.reader);
				this.inFlight = reading;
				// A read that is already done completes here, on this thread, and clears
				// inFlight: hence the local.
				reading.whenComplete((result, failure) -> completed(result));
			}
		}
		try {
			return reading.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			return unknown("no connection within " + this.timeout.toMillis() + "ms");
		}
		catch (ExecutionException ex) {
			return unknown(String.valueOf(ex.getCause().getMessage()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return unknown("interrupted");
		}
	}

	private synchronized void completed(@Nullable Map<String, Object> result) {
		if (result != null) {
			this.cached = result;
			this.cachedAt = this.clock.instant();
		}
		this.inFlight = null;
	}

	private Map<String, Object> read() {
		try (Connection connection = this.pool.getConnection(); Statement statement = connection.createStatement()) {
			statement.setQueryTimeout((int) Math.max(1, this.timeout.toSeconds()));
			Map<String, Object> byState = new LinkedHashMap<>();
			long total = 0;
			try (ResultSet rows = statement.executeQuery(CONNECTIONS_BY_STATE)) {
				while (rows.next()) {
					long count = rows.getLong(2);
					byState.put(rows.getString(1), count);
					total += count;
				}
			}
			Map<String, Object> view = new LinkedHashMap<>();
			view.put("status", "ok");
			view.put("connections", byState);
			view.put("totalConnections", total);
			try (ResultSet rows = statement.executeQuery(LIMITS)) {
				rows.next();
				view.put("maxConnections", rows.getInt(1));
				view.put("databaseSizeBytes", rows.getLong(2));
			}
			view.put("topStatements", topStatements(statement, connection.getMetaData().getDatabaseMajorVersion()));
			view.put("readAt", this.clock.instant().toString());
			return view;
		}
		catch (SQLException ex) {
			logger.debug("Reading the server view failed", ex);
			throw new IllegalStateException("SQLSTATE " + ex.getSQLState() + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * The server's own top statements by total time, from {@code pg_stat_statements} when
	 * it is installed in this database; its texts pass the same literal masking as the
	 * client's shapes (utility statements keep their literals there).
	 */
	private Object topStatements(Statement statement, int majorVersion) throws SQLException {
		try (ResultSet installed = statement.executeQuery(PG_STAT_STATEMENTS_INSTALLED)) {
			if (!installed.next()) {
				return Map.of("status", "unavailable", "reason",
						"pg_stat_statements is not installed in this database (shared_preload_libraries = "
								+ "'pg_stat_statements', then CREATE EXTENSION pg_stat_statements)");
			}
		}
		String time = (majorVersion >= 13) ? "exec_time" : "time";
		String sql = "SELECT query, calls, total_" + time + ", mean_" + time + ", rows FROM pg_stat_statements "
				+ "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) " + "ORDER BY total_"
				+ time + " DESC LIMIT " + this.topStatements;
		List<Map<String, Object>> list = new ArrayList<>();
		try (ResultSet rows = statement.executeQuery(sql)) {
			while (rows.next()) {
				Map<String, Object> entry = new LinkedHashMap<>();
				String query = rows.getString(1);
				entry.put("query", (query != null) ? SqlNormalizer.normalize(query, MAX_QUERY_LENGTH) : "");
				entry.put("calls", rows.getLong(2));
				entry.put("totalTime", Math.round(rows.getDouble(3) * 100.0) / 100.0);
				entry.put("meanTime", Math.round(rows.getDouble(4) * 100.0) / 100.0);
				entry.put("rows", rows.getLong(5));
				list.add(entry);
			}
		}
		catch (SQLException ex) {
			// Installed here, but not loaded at server start: reading the view fails.
			logger.debug("Reading pg_stat_statements failed", ex);
			return Map.of("status", "unavailable", "reason", "pg_stat_statements: SQLSTATE " + ex.getSQLState());
		}
		return list;
	}

	private static Map<String, Object> unknown(String reason) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("status", "unknown");
		view.put("reason", reason);
		return view;
	}

	@Override
	public void close() {
		this.reader.shutdownNow();
	}

}
