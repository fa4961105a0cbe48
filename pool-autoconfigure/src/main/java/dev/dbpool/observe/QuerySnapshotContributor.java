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
 * {@code slowQueries} (the recent history, with plans when captured), {@code topQueries}
 * (the busiest shapes), and with transaction tracking {@code repeatedStatements} and
 * {@code transactions}, one contributor each, read from the {@link QueryObserver} of the
 * observed pool.
 */
public final class QuerySnapshotContributor implements DatabaseSnapshotContributor {

	private final String section;

	private final Supplier<@Nullable QueryObserver> observer;

	private final Function<QueryObserver, @Nullable Object> content;

	private QuerySnapshotContributor(String section, Supplier<@Nullable QueryObserver> observer,
			Function<QueryObserver, @Nullable Object> content) {
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
		return new QuerySnapshotContributor("slowQueries", observer,
				(found) -> slowQueries(found.slowQueries(), found.plans()));
	}

	/** The {@code topQueries} section with the given number of shapes. */
	public static QuerySnapshotContributor topQueries(Supplier<@Nullable QueryObserver> observer, int count) {
		return new QuerySnapshotContributor("topQueries", observer, (found) -> topQueries(found.topQueries(count)));
	}

	/** The {@code repeatedStatements} section, when transactions are tracked. */
	public static QuerySnapshotContributor repeatedStatements(Supplier<@Nullable QueryObserver> observer) {
		return new QuerySnapshotContributor("repeatedStatements", observer, (found) -> {
			TransactionTracking tracking = found.transactionTracking();
			return (tracking != null) ? repeatedStatements(tracking.repeatedStatements().summaries()) : null;
		});
	}

	/** The {@code transactions} section, when transactions are tracked. */
	public static QuerySnapshotContributor transactions(Supplier<@Nullable QueryObserver> observer) {
		return new QuerySnapshotContributor("transactions", observer, (found) -> {
			TransactionTracking tracking = found.transactionTracking();
			return (tracking != null) ? transactions(tracking.transactions().snapshot()) : null;
		});
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

	private static List<Map<String, Object>> slowQueries(List<SlowQueryLog.SlowQuery> slowQueries,
			@Nullable SlowQueryPlans plans) {
		List<Map<String, Object>> list = new ArrayList<>(slowQueries.size());
		for (SlowQueryLog.SlowQuery slowQuery : slowQueries) {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("query", slowQuery.query());
			entry.put("duration", slowQuery.duration());
			entry.put("timestamp", slowQuery.timestamp().toString());
			String plan = (plans != null) ? plans.planOf(slowQuery.shape()) : null;
			if (plan != null) {
				entry.put("plan", plan);
			}
			list.add(entry);
		}
		return list;
	}

	private static List<Map<String, Object>> repeatedStatements(List<RepeatedStatements.Summary> repeated) {
		List<Map<String, Object>> list = new ArrayList<>(repeated.size());
		for (RepeatedStatements.Summary summary : repeated) {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("shape", summary.shape());
			entry.put("kind", summary.kind().tag());
			entry.put("perTransaction", summary.perTransaction());
			entry.put("transactions", summary.transactions());
			entry.put("requests", summary.requests());
			entry.put("lastSeen", summary.lastSeen().toString());
			list.add(entry);
		}
		return list;
	}

	private static Map<String, Object> transactions(TransactionStatistics.Snapshot statistics) {
		Map<String, Object> transactions = new LinkedHashMap<>();
		transactions.put("count", statistics.count());
		transactions.put("committed", statistics.committed());
		transactions.put("rolledBack", statistics.rolledBack());
		transactions.put("averageStatements", Math.round(statistics.averageStatements() * 100.0) / 100.0);
		transactions.put("averageDuration", Math.round(statistics.averageDuration() * 100.0) / 100.0);
		transactions.put("maxStatements", statistics.maxStatements());
		List<Map<String, Object>> longest = new ArrayList<>();
		for (TransactionStatistics.LongTransaction transaction : statistics.longest()) {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("duration", Math.round(transaction.duration() * 100.0) / 100.0);
			entry.put("statements", transaction.statements());
			entry.put("outcome", transaction.outcome());
			entry.put("endedAt", transaction.endedAt().toString());
			entry.put("shapes", transaction.shapes());
			longest.add(entry);
		}
		transactions.put("longest", longest);
		return transactions;
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
