package dev.dbpool.observe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.dbpool.common.DatabaseSnapshotContributor;
import org.jspecify.annotations.Nullable;

/**
 * The observation's sections of the snapshot: {@code queries} (counters),
 * {@code slowQueries} (the recent history) and {@code topQueries} (the busiest shapes),
 * one contributor each, read from the {@link QueryObserver} of the observed pool.
 */
public final class QuerySnapshotContributor implements DatabaseSnapshotContributor {

	private final String section;

	private final Supplier<@Nullable QueryObserver> observer;

	private final Function<QueryObserver, Object> content;

	private QuerySnapshotContributor(String section, Supplier<@Nullable QueryObserver> observer,
			Function<QueryObserver, Object> content) {
		this.section = section;
		this.observer = observer;
		this.content = content;
	}

	/** The {@code queries} section; it also answers the snapshot's reset. */
	public static QuerySnapshotContributor queries(Supplier<@Nullable QueryObserver> observer) {
		return new QuerySnapshotContributor("queries", observer, (found) -> queries(found.statistics()));
	}

	/** The {@code slowQueries} section. */
	public static QuerySnapshotContributor slowQueries(Supplier<@Nullable QueryObserver> observer) {
		return new QuerySnapshotContributor("slowQueries", observer, (found) -> slowQueries(found.slowQueries()));
	}

	/** The {@code topQueries} section with the given number of shapes. */
	public static QuerySnapshotContributor topQueries(Supplier<@Nullable QueryObserver> observer, int count) {
		return new QuerySnapshotContributor("topQueries", observer, (found) -> topQueries(found.topQueries(count)));
	}

	@Override
	public String section() {
		return this.section;
	}

	/** Counts and masked statement shapes: public, as the seeds' document has them. */
	@Override
	public Visibility visibility() {
		return Visibility.PUBLIC;
	}

	@Override
	public @Nullable Object snapshot() {
		QueryObserver found = this.observer.get();
		return (found != null) ? this.content.apply(found) : null;
	}

	@Override
	public Map<String, Object> config() {
		QueryObserver found = this.observer.get();
		if (!"queries".equals(this.section) || found == null || found.slowQueryLog() == null) {
			return Map.of();
		}
		return Map.of("slowQueryThreshold", found.slowQueryLog().threshold().toMillis());
	}

	@Override
	public boolean reset() {
		QueryObserver found = this.observer.get();
		if (!"queries".equals(this.section) || found == null) {
			return false;
		}
		found.reset();
		return true;
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

}
