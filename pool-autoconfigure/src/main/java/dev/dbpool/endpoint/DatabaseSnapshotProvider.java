package dev.dbpool.endpoint;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.dbpool.common.DatabaseSnapshotContributor.Visibility;
import dev.dbpool.common.DatabaseSnapshotContributor;
import dev.dbpool.common.HikariPools;
import dev.dbpool.config.DbPoolSettings;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles the database snapshot: the pool, one section per
 * {@link DatabaseSnapshotContributor} in their order (observation's queries, slow queries
 * and top shapes, retry, leaks, replicas, ...), the effective configuration, the server
 * view and a timestamp. The public form, served on the application port, leaves out
 * everything that describes where and as whom the pool connects. Never includes a secret.
 * Knows no capability: they contribute.
 */
public final class DatabaseSnapshotProvider {

	private static final Logger logger = LoggerFactory.getLogger(DatabaseSnapshotProvider.class);

	/** Sections that come before {@code config}, when present. */
	private static final List<String> BEFORE_CONFIG = List.of("pool", "queries", "slowQueries", "topQueries",
			"repeatedStatements", "transactions");

	private final DataSource dataSource;

	private final Supplier<@Nullable DbPoolSettings> settings;

	private final Supplier<List<DatabaseSnapshotContributor>> contributors;

	private final @Nullable PostgresServerView serverView;

	private final Clock clock;

	/**
	 * Create a provider.
	 * @param dataSource the application's data source (observed or not)
	 * @param settings effective settings, when the starter built the pool
	 * @param contributors the sections, in order
	 * @param serverView the server view, {@code null} to leave it out
	 * @param clock time source
	 */
	public DatabaseSnapshotProvider(DataSource dataSource, Supplier<@Nullable DbPoolSettings> settings,
			Supplier<List<DatabaseSnapshotContributor>> contributors, @Nullable PostgresServerView serverView,
			Clock clock) {
		this.dataSource = dataSource;
		this.settings = settings;
		this.contributors = contributors;
		this.serverView = serverView;
		this.clock = clock;
	}

	/**
	 * Take the complete snapshot, internal sections included, as Actuator shows it.
	 * @return the JSON tree, as ordered maps, lists and simple values
	 */
	public Map<String, Object> snapshot() {
		return snapshot(Visibility.INTERNAL);
	}

	/**
	 * Take a snapshot for an audience.
	 * @param scope {@link Visibility#PUBLIC} for the seeds' document (pool, queries, slow
	 * queries, shapes, numeric settings, public sections, timestamp);
	 * {@link Visibility#INTERNAL} adds every setting with its source, the internal
	 * sections and the server view
	 * @return the JSON tree, as ordered maps, lists and simple values
	 */
	public Map<String, Object> snapshot(Visibility scope) {
		boolean internal = scope == Visibility.INTERNAL;
		Map<String, Object> sections = new LinkedHashMap<>();
		sections.put("pool", pool());
		List<DatabaseSnapshotContributor> contributors = this.contributors.get();
		Map<String, Object> config = config(contributors, internal);
		for (DatabaseSnapshotContributor contributor : contributors) {
			if (sections.containsKey(contributor.section()) || "config".equals(contributor.section())) {
				// Two beans answering for one section would hide one of them.
				throw new IllegalStateException("Two snapshot sections are named '" + contributor.section()
						+ "'; rename the section() of " + contributor.getClass().getName());
			}
			Object section = (internal || contributor.visibility() == Visibility.PUBLIC) ? section(contributor) : null;
			if (section != null) {
				sections.put(contributor.section(), section);
			}
		}
		Map<String, Object> snapshot = new LinkedHashMap<>();
		sections.forEach((name, section) -> {
			if (!BEFORE_CONFIG.contains(name) && !snapshot.containsKey("config")) {
				snapshot.put("config", config);
			}
			snapshot.put(name, section);
		});
		snapshot.putIfAbsent("config", config);
		if (internal && this.serverView != null) {
			snapshot.put("server", this.serverView.view());
		}
		snapshot.put("timestamp", this.clock.instant().toString());
		return snapshot;
	}

	/**
	 * Zero the counters of every section that keeps some (query counters, shapes and
	 * slow-query history).
	 * @return whether there was anything to reset (false when observation is off)
	 */
	public boolean reset() {
		boolean reset = false;
		for (DatabaseSnapshotContributor contributor : this.contributors.get()) {
			reset |= contributor.reset();
		}
		return reset;
	}

	private Map<String, Object> pool() {
		Map<String, Object> pool = new LinkedHashMap<>();
		HikariDataSource hikari = HikariPools.find(this.dataSource);
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

	/**
	 * The effective settings when the starter built the pool; otherwise what the pool and
	 * the capabilities say.
	 */
	private Map<String, Object> config(List<DatabaseSnapshotContributor> contributors, boolean internal) {
		DbPoolSettings effective = this.settings.get();
		if (effective != null) {
			return effective.snapshot(internal);
		}
		Map<String, Object> config = new LinkedHashMap<>();
		HikariDataSource hikari = HikariPools.find(this.dataSource);
		if (hikari != null) {
			config.put("connectionLimit", hikari.getMaximumPoolSize());
			config.put("poolTimeout", seconds(Duration.ofMillis(hikari.getConnectionTimeout())));
		}
		for (DatabaseSnapshotContributor contributor : contributors) {
			contributor.config().forEach(config::putIfAbsent);
		}
		return config;
	}

	/** Whole seconds as the seeds show them; a decimal only for a fraction. */
	private static Number seconds(Duration duration) {
		long millis = duration.toMillis();
		if (millis % 1000 == 0) {
			return millis / 1000;
		}
		return millis / 1000.0;
	}

	private static @Nullable Object section(DatabaseSnapshotContributor contributor) {
		try {
			return contributor.snapshot();
		}
		catch (RuntimeException ex) {
			logger.warn("Snapshot section '{}' failed", contributor.section(), ex);
			return Map.of("error", ex.getClass().getSimpleName());
		}
	}

}
