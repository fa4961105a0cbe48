package dev.dbpool.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.dbpool.common.DbPoolMeters;
import dev.dbpool.observe.QueryEventListener;
import dev.dbpool.observe.StatementKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters for observed statements. Every meter is created up front, the error
 * counter once per {@linkplain #SQLSTATE_CLASSES known SQLSTATE class}, so that each
 * series exists from startup (a counter that appears with its first event hides that
 * event from {@code increase()}) and the hot path is one array lookup and one timer
 * update; never tagged with SQL.
 */
public final class QueryMetrics implements QueryEventListener {

	/**
	 * Timer of statement execution, tagged {@code pool}, {@code kind} and
	 * {@code outcome}.
	 */
	public static final String QUERY_DURATION = DbPoolMeters.QUERY_DURATION;

	/** Counter of statements at or above the slow-query threshold. */
	public static final String SLOW_QUERIES = DbPoolMeters.SLOW_QUERIES;

	/** Counter of failed statements, tagged with the SQLSTATE class. */
	public static final String QUERY_ERRORS = DbPoolMeters.QUERY_ERRORS;

	/**
	 * Distribution of statements per transaction, tagged {@code pool} and {@code outcome}
	 * ({@code commit} or {@code rollback}).
	 */
	public static final String TRANSACTION_STATEMENTS = "db.pool.transaction.statements";

	/**
	 * Timer of transactions from begin to the end of commit or rollback, tagged
	 * {@code pool} and {@code outcome}.
	 */
	public static final String TRANSACTION_DURATION = "db.pool.transaction.duration";

	/** Gauge of connections in use over the pool's maximum, from 0 to 1. */
	public static final String POOL_UTILIZATION = DbPoolMeters.POOL_UTILIZATION;

	static final String TAG_POOL = DbPoolMeters.TAG_POOL;

	static final String TAG_KIND = DbPoolMeters.TAG_KIND;

	static final String TAG_OUTCOME = DbPoolMeters.TAG_OUTCOME;

	static final String TAG_SQLSTATE_CLASS = DbPoolMeters.TAG_SQLSTATE_CLASS;

	/** Tag value of failures that carry no SQLSTATE. */
	static final String UNKNOWN_SQLSTATE_CLASS = "unknown";

	/**
	 * SQLSTATE classes with an error counter from startup: every class of PostgreSQL's
	 * error codes (Appendix A, 00 "successful completion" aside) and the ones pgjdbc adds
	 * (07, 60, 99). A class outside the list still gets its counter, on its first event.
	 */
	public static final List<String> SQLSTATE_CLASSES = List.of("01", "02", "03", "07", "08", "09", "0A", "0B", "0F",
			"0L", "0P", "0Z", "20", "21", "22", "23", "24", "25", "26", "27", "28", "2B", "2D", "2F", "34", "38", "39",
			"3B", "3D", "3F", "40", "42", "44", "53", "54", "55", "57", "58", "60", "72", "99", "F0", "HV", "P0", "XX",
			UNKNOWN_SQLSTATE_CLASS);

	/** Buckets spanning a fast primary-key lookup to a statement timeout. */
	private static final Duration[] BUCKETS = { Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
			Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
			Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
			Duration.ofSeconds(10) };

	/** Buckets from a single-statement transaction to a batch job's. */
	private static final double[] STATEMENT_BUCKETS = { 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000 };

	private final MeterRegistry registry;

	private final String poolName;

	private final Timer[] successTimers;

	private final Timer[] errorTimers;

	private final Counter[] slowCounters;

	private final DistributionSummary[] transactionStatements = new DistributionSummary[2];

	private final Timer[] transactionDurations = new Timer[2];

	private final Map<String, Counter> errorCounters = new ConcurrentHashMap<>();

	public QueryMetrics(MeterRegistry registry, String poolName) {
		this.registry = registry;
		this.poolName = poolName;
		StatementKind[] kinds = StatementKind.values();
		this.successTimers = new Timer[kinds.length];
		this.errorTimers = new Timer[kinds.length];
		this.slowCounters = new Counter[kinds.length];
		for (StatementKind kind : kinds) {
			this.successTimers[kind.ordinal()] = timer(kind, "success");
			this.errorTimers[kind.ordinal()] = timer(kind, "error");
			this.slowCounters[kind.ordinal()] = Counter.builder(SLOW_QUERIES)
				.description("Statements at or above the slow-query threshold")
				.tags(TAG_POOL, poolName, TAG_KIND, kind.tag())
				.register(registry);
		}
		for (int committed = 0; committed < 2; committed++) {
			String outcome = (committed == 1) ? "commit" : "rollback";
			this.transactionStatements[committed] = DistributionSummary.builder(TRANSACTION_STATEMENTS)
				.description("Statements per transaction")
				.baseUnit("statements")
				.tags(TAG_POOL, poolName, TAG_OUTCOME, outcome)
				.serviceLevelObjectives(STATEMENT_BUCKETS)
				.register(registry);
			this.transactionDurations[committed] = Timer.builder(TRANSACTION_DURATION)
				.description("Transaction duration from begin to the end of commit or rollback")
				.tags(TAG_POOL, poolName, TAG_OUTCOME, outcome)
				.serviceLevelObjectives(BUCKETS)
				.register(registry);
		}
		for (String sqlStateClass : SQLSTATE_CLASSES) {
			this.errorCounters.put(sqlStateClass, errorCounter(sqlStateClass));
		}
	}

	private Counter errorCounter(String sqlStateClass) {
		return Counter.builder(QUERY_ERRORS)
			.description("Failed statements by SQLSTATE class")
			.tags(TAG_POOL, this.poolName, TAG_SQLSTATE_CLASS, sqlStateClass)
			.register(this.registry);
	}

	private Timer timer(StatementKind kind, String outcome) {
		return Timer.builder(QUERY_DURATION)
			.description("Execution time of statements on the pool's connections")
			.tags(Tags.of(TAG_POOL, this.poolName, TAG_KIND, kind.tag(), TAG_OUTCOME, outcome))
			.serviceLevelObjectives(BUCKETS)
			.register(this.registry);
	}

	@Override
	public void succeeded(StatementKind kind, long elapsedNanos) {
		this.successTimers[kind.ordinal()].record(elapsedNanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void failed(StatementKind kind, long elapsedNanos, @Nullable String sqlState) {
		this.errorTimers[kind.ordinal()].record(elapsedNanos, TimeUnit.NANOSECONDS);
		String sqlStateClass = (sqlState != null && sqlState.length() >= 2) ? sqlState.substring(0, 2)
				: UNKNOWN_SQLSTATE_CLASS;
		this.errorCounters.computeIfAbsent(sqlStateClass, this::errorCounter).increment();
	}

	@Override
	public void slow(StatementKind kind, long elapsedNanos) {
		this.slowCounters[kind.ordinal()].increment();
	}

	@Override
	public void transactionEnded(int statements, long durationNanos, boolean committed) {
		int index = committed ? 1 : 0;
		this.transactionStatements[index].record(statements);
		this.transactionDurations[index].record(durationNanos, TimeUnit.NANOSECONDS);
	}

}
