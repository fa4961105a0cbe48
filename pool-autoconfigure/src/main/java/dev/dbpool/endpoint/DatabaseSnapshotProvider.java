package dev.dbpool.endpoint;

import dev.dbpool.common.DatabaseSnapshotContributor;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.dbpool.config.DbPoolSettings;
import dev.dbpool.datasource.PoolDataSourceFactory;
import dev.dbpool.observe.ObservedDataSource;
import dev.dbpool.observe.QueryObserver;
import dev.dbpool.observe.QueryStatistics;
import dev.dbpool.observe.SlowQueryLog;
import dev.dbpool.observe.StatementShape;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.jdbc.DataSourceUnwrapper;

/**
 * Assembles the {@code /metrics/database} snapshot: pool, queries, slow queries, top
 * shapes, effective configuration, one section per {@link DatabaseSnapshotContributor},
 * the server view and a timestamp. Never includes a secret.
 */
public final class DatabaseSnapshotProvider {

	private static final Logger logger = LoggerFactory.getLogger(DatabaseSnapshotProvider.class);

	/** Settings rendered in seconds, as the seeds show them; other durations in ms. */
	private static final List<String> SECONDS_SETTINGS = List.of("poolTimeout");

	private static final Pattern URL_USER_INFO = Pattern.compile("(://[^:/@\\s]+:)[^@/\\s]*@");

	private static final Pattern URL_PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;]password=)[^&;\\s]*");

	private final DataSource dataSource;

	private final Supplier<@Nullable DbPoolSettings> settings;

	private final Supplier<List<DatabaseSnapshotContributor>> contributors;

	private final @Nullable PostgresServerView serverView;

	private final int topQueries;

	private final Clock clock;

	/**
	 * Create a provider.
	 * @param dataSource the application's data source (observed or not)
	 * @param settings effective settings, when the datasource layer registered them
	 * @param contributors extra sections
	 * @param serverView the server view, {@code null} to leave it out
	 * @param topQueries number of shapes listed
	 * @param clock time source
	 */
	public DatabaseSnapshotProvider(DataSource dataSource, Supplier<@Nullable DbPoolSettings> settings,
			Supplier<List<DatabaseSnapshotContributor>> contributors, @Nullable PostgresServerView serverView,
			int topQueries, Clock clock) {
		this.dataSource = dataSource;
		this.settings = settings;
		this.contributors = contributors;
		this.serverView = serverView;
		this.topQueries = topQueries;
		this.clock = clock;
	}

	/**
	 * Take a snapshot.
	 * @return the JSON tree, as ordered maps, lists and simple values
	 */
	public Map<String, Object> snapshot() {
		Map<String, Object> snapshot = new LinkedHashMap<>();
		snapshot.put("pool", pool());
		QueryObserver observer = observer();
		if (observer != null) {
			snapshot.put("queries", queries(observer.statistics()));
			snapshot.put("slowQueries", slowQueries(observer.slowQueries()));
			snapshot.put("topQueries", topQueries(observer.topQueries(this.topQueries)));
		}
		snapshot.put("config", config(observer));
		for (DatabaseSnapshotContributor contributor : this.contributors.get()) {
			if (snapshot.containsKey(contributor.section())) {
				// Two beans answering for one section would hide one of them.
				throw new IllegalStateException("Two snapshot sections are named '" + contributor.section()
						+ "'; rename the section() of " + contributor.getClass().getName());
			}
			snapshot.put(contributor.section(), section(contributor));
		}
		if (this.serverView != null) {
			snapshot.put("server", this.serverView.view());
		}
		snapshot.put("timestamp", this.clock.instant().toString());
		return snapshot;
	}

	/**
	 * Zero the query counters, shapes and slow-query history.
	 * @return whether there was anything to reset (false when observation is off)
	 */
	public boolean reset() {
		QueryObserver observer = observer();
		if (observer == null) {
			return false;
		}
		observer.reset();
		return true;
	}

	private @Nullable QueryObserver observer() {
		try {
			if (this.dataSource.isWrapperFor(ObservedDataSource.class)) {
				return this.dataSource.unwrap(ObservedDataSource.class).getObserver();
			}
		}
		catch (SQLException ex) {
			logger.debug("Could not unwrap the observed data source", ex);
		}
		return null;
	}

	private @Nullable HikariDataSource hikari() {
		return DataSourceUnwrapper.unwrap(this.dataSource, HikariConfigMXBean.class, HikariDataSource.class);
	}

	private Map<String, Object> pool() {
		Map<String, Object> pool = new LinkedHashMap<>();
		HikariDataSource hikari = hikari();
		if (hikari == null) {
			pool.put("status", "unknown");
			return pool;
		}
		HikariPoolMXBean bean = hikari.getHikariPoolMXBean();
		int limit = hikari.getMaximumPoolSize();
		int active = (bean != null) ? bean.getActiveConnections() : 0;
		pool.put("active", active);
		pool.put("idle", (bean != null) ? bean.getIdleConnections() : 0);
		pool.put("total", (bean != null) ? bean.getTotalConnections() : 0);
		pool.put("limit", limit);
		pool.put("utilization", (limit > 0) ? Math.round(active * 10000.0 / limit) / 100.0 : 0.0);
		pool.put("waiting", (bean != null) ? bean.getThreadsAwaitingConnection() : 0);
		return pool;
	}

	private static Map<String, Object> queries(QueryStatistics.Snapshot statistics) {
		Map<String, Object> queries = new LinkedHashMap<>();
		queries.put("queriesExecuted", statistics.queriesExecuted());
		queries.put("slowQueries", statistics.slowQueries());
		queries.put("queryErrors", statistics.queryErrors());
		queries.put("averageQueryTime", statistics.averageQueryTime());
		queries.put("slowQueryRate", statistics.slowQueryRate());
		queries.put("uptimeMs", statistics.uptimeMs());
		queries.put("lastResetTime", statistics.lastResetTime().toString());
		return queries;
	}

	private static List<Map<String, Object>> slowQueries(List<SlowQueryLog.SlowQuery> slowQueries) {
		List<Map<String, Object>> list = new ArrayList<>(slowQueries.size());
		for (SlowQueryLog.SlowQuery slowQuery : slowQueries) {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("query", slowQuery.query());
			entry.put("duration", slowQuery.duration());
			entry.put("timestamp", slowQuery.timestamp().toString());
			list.add(entry);
		}
		return list;
	}

	private static List<Map<String, Object>> topQueries(List<StatementShape.ShapeSummary> shapes) {
		List<Map<String, Object>> list = new ArrayList<>(shapes.size());
		for (StatementShape.ShapeSummary shape : shapes) {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("query", shape.query());
			entry.put("kind", shape.kind().tag());
			entry.put("count", shape.count());
			entry.put("meanTime", Math.round(shape.meanTime() * 100.0) / 100.0);
			entry.put("maxTime", Math.round(shape.maxTime() * 100.0) / 100.0);
			list.add(entry);
		}
		return list;
	}

	private Map<String, Object> config(@Nullable QueryObserver observer) {
		Map<String, Object> config = new LinkedHashMap<>();
		DbPoolSettings effective = this.settings.get();
		if (effective != null) {
			Map<String, Object> sources = new LinkedHashMap<>();
			for (DbPoolSettings.Setting setting : effective.entries().values()) {
				if (isSecret(setting.name())) {
					continue;
				}
				config.put(setting.name(), render(setting.name(), setting.value()));
				sources.put(setting.name(), setting.source().label());
			}
			config.put("sources", sources);
			return config;
		}
		HikariDataSource hikari = hikari();
		if (hikari != null) {
			config.put("connectionLimit", hikari.getMaximumPoolSize());
			config.put("poolTimeout", seconds(Duration.ofMillis(PoolDataSourceFactory.poolTimeoutMillis(hikari))));
		}
		if (observer != null && observer.slowQueryLog() != null) {
			config.put("slowQueryThreshold", observer.slowQueryLog().threshold().toMillis());
		}
		return config;
	}

	/**
	 * Whole seconds as the seeds show them; a decimal (0.1, 1.5) only for a value that is
	 * not a whole number of seconds.
	 */
	private static Number seconds(Duration duration) {
		long millis = duration.toMillis();
		if (millis % 1000 == 0) {
			return millis / 1000;
		}
		return millis / 1000.0;
	}

	static boolean isSecret(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		return lower.contains("password") || lower.contains("secret") || lower.contains("credential")
				|| lower.contains("token");
	}

	static @Nullable Object render(String name, @Nullable Object value) {
		if (value instanceof Duration duration) {
			return SECONDS_SETTINGS.contains(name) ? seconds(duration) : duration.toMillis();
		}
		if (value == null || value instanceof Number || value instanceof Boolean) {
			return value;
		}
		if (value instanceof CharSequence text) {
			return maskUrlSecrets(text.toString());
		}
		if (value instanceof Map<?, ?> map) {
			Map<String, Object> masked = new LinkedHashMap<>();
			map.forEach((key, entry) -> masked.put(String.valueOf(key),
					isSecret(String.valueOf(key)) ? "****" : String.valueOf(entry)));
			return masked;
		}
		return value.toString();
	}

	/** A URL among the settings must not carry its password into the snapshot. */
	static String maskUrlSecrets(String text) {
		return URL_USER_INFO.matcher(URL_PASSWORD_PARAMETER.matcher(text).replaceAll("$1****")).replaceAll("$1****@");
	}

	private static Object section(DatabaseSnapshotContributor contributor) {
		try {
			return contributor.snapshot();
		}
		catch (RuntimeException ex) {
			logger.warn("Snapshot section '{}' failed", contributor.section(), ex);
			return Map.of("error", ex.getClass().getSimpleName());
		}
	}

}
