package dev.dbpool.observe;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.dbpool.common.SqlNormalizer;

/**
 * The bounded set of statement shapes seen since start or the last reset, with a bounded
 * cache from SQL string to shape so that normalization runs once per distinct SQL. Memory
 * stays bounded whatever the workload: at most {@code maxShapes} shapes (the least used
 * is evicted to make room) and at most {@code sqlCacheSize} cached SQL strings (the cache
 * is emptied when full).
 */
public final class StatementShapes {

	/** SQL longer than this is normalized on every lookup instead of being cached. */
	static final int MAX_CACHED_SQL_LENGTH = 4096;

	private final int maxShapes;

	private final int sqlCacheSize;

	private final int maxShapeLength;

	private final Map<String, StatementShape> bySql = new ConcurrentHashMap<>();

	private final Map<String, StatementShape> byShape = new ConcurrentHashMap<>();

	public StatementShapes(int maxShapes, int sqlCacheSize, int maxShapeLength) {
		if (maxShapes < 1) {
			throw new IllegalArgumentException("The number of shapes tracked must be at least 1, was " + maxShapes);
		}
		this.maxShapes = maxShapes;
		this.sqlCacheSize = Math.max(sqlCacheSize, 1);
		this.maxShapeLength = Math.max(maxShapeLength, 16);
	}

	/**
	 * The shape of SQL, registering it on first sight. Hot path: one map lookup for SQL
	 * seen before.
	 * @param sql the SQL as sent to the driver
	 * @return its shape
	 */
	public StatementShape shapeOf(String sql) {
		StatementShape cached = this.bySql.get(sql);
		if (cached != null && !cached.isRetired()) {
			return cached;
		}
		return register(sql);
	}

	private StatementShape register(String sql) {
		String shapeText = SqlNormalizer.normalize(sql, this.maxShapeLength);
		StatementShape shape = this.byShape.get(shapeText);
		if (shape == null) {
			shape = addShape(shapeText, StatementKind.of(sql));
		}
		if (sql.length() <= MAX_CACHED_SQL_LENGTH) {
			if (this.bySql.size() >= this.sqlCacheSize) {
				this.bySql.clear();
			}
			this.bySql.put(sql, shape);
		}
		return shape;
	}

	private synchronized StatementShape addShape(String shapeText, StatementKind kind) {
		StatementShape existing = this.byShape.get(shapeText);
		if (existing != null) {
			return existing;
		}
		if (this.byShape.size() >= this.maxShapes) {
			evictLeastUsed();
		}
		StatementShape shape = new StatementShape(shapeText, kind);
		this.byShape.put(shapeText, shape);
		return shape;
	}

	private void evictLeastUsed() {
		StatementShape least = null;
		long leastCount = Long.MAX_VALUE;
		for (StatementShape candidate : this.byShape.values()) {
			long count = candidate.count();
			if (count < leastCount) {
				least = candidate;
				leastCount = count;
			}
		}
		if (least != null) {
			this.byShape.remove(least.shape());
			least.retire();
		}
	}

	/**
	 * The most executed shapes, most executed first.
	 * @param limit how many to return
	 * @return at most {@code limit} summaries
	 */
	public List<StatementShape.ShapeSummary> top(int limit) {
		List<StatementShape.ShapeSummary> all = new ArrayList<>(this.byShape.size());
		for (StatementShape shape : this.byShape.values()) {
			all.add(shape.summary());
		}
		all.sort(Comparator.comparingLong(StatementShape.ShapeSummary::count)
			.reversed()
			.thenComparing(StatementShape.ShapeSummary::query));
		return (all.size() > limit) ? List.copyOf(all.subList(0, Math.max(limit, 0))) : all;
	}

	/** Number of shapes currently tracked. */
	public int size() {
		return this.byShape.size();
	}

	/** Number of SQL strings currently cached. */
	int cachedSqlCount() {
		return this.bySql.size();
	}

	/** Forget every shape; statements holding an old shape look it up again. */
	public synchronized void reset() {
		for (StatementShape shape : this.byShape.values()) {
			shape.retire();
		}
		this.byShape.clear();
		this.bySql.clear();
	}

}
