package dev.dbpool.common;

/**
 * Every meter the starter registers and every tag it uses, in one place. The binders
 * refer to these names; the observation docs list them from here.
 */
public final class DbPoolMeters {

	/** Tag holding the pool name; on every meter. */
	public static final String TAG_POOL = "pool";

	/** Tag holding the statement kind ({@code select}, {@code insert}, ...). */
	public static final String TAG_KIND = "kind";

	/** Tag holding a statement's outcome ({@code success}, {@code error}). */
	public static final String TAG_OUTCOME = "outcome";

	/** Tag holding the class (first two characters) of a failed statement's SQLSTATE. */
	public static final String TAG_SQLSTATE_CLASS = "sqlstate.class";

	/** Tag holding the full SQLSTATE of a retried failure. */
	public static final String TAG_SQLSTATE = "sqlstate";

	/** Timer of statement execution, tagged pool, kind and outcome. */
	public static final String QUERY_DURATION = "db.pool.query.duration";

	/**
	 * Counter of statements at or above the slow-query threshold, tagged pool and kind.
	 */
	public static final String SLOW_QUERIES = "db.pool.query.slow";

	/** Counter of failed statements, tagged pool and SQLSTATE class. */
	public static final String QUERY_ERRORS = "db.pool.query.errors";

	/** Gauge of connections in use over the pool's maximum, from 0 to 1. */
	public static final String POOL_UTILIZATION = "db.pool.utilization";

	/** Gauge: 1 while the database answers the health check, 0 otherwise. */
	public static final String DATABASE_UP = "db.pool.database.up";

	/** Gauge of the connections the whole fleet may open. */
	public static final String CONNECTION_BUDGET_FLEET = "db.pool.connection.budget.fleet";

	/** Gauge of the connection slots the server leaves for this application. */
	public static final String CONNECTION_BUDGET_AVAILABLE = "db.pool.connection.budget.available";

	/** Counter of retries performed (attempts after the first), tagged sqlstate. */
	public static final String RETRY_ATTEMPTS = "db.pool.retry.attempts";

	/** Counter of calls that succeeded after at least one retry. */
	public static final String RETRY_SUCCESSES = "db.pool.retry.successes";

	/** Counter of calls that failed with a retryable failure after their last attempt. */
	public static final String RETRY_EXHAUSTED = "db.pool.retry.exhausted";

	/** Counter of retries refused because the retry budget was spent. */
	public static final String RETRY_BUDGET_REJECTIONS = "db.pool.retry.budget.rejections";

	/** Counter of calls that failed with {@code CommitOutcomeUnknownException}. */
	public static final String RETRY_COMMIT_OUTCOME_UNKNOWN = "db.pool.retry.commit.outcome.unknown";

	private DbPoolMeters() {
	}

}
