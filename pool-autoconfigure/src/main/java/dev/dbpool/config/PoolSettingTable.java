package dev.dbpool.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.dbpool.config.SeedAlias.Unit.COUNT;
import static dev.dbpool.config.SeedAlias.Unit.MILLISECONDS;
import static dev.dbpool.config.SeedAlias.Unit.SECONDS;
import static dev.dbpool.config.SeedAlias.Unit.TEXT;
import static dev.dbpool.config.SettingType.BOOLEAN;
import static dev.dbpool.config.SettingType.DECIMAL;
import static dev.dbpool.config.SettingType.DURATION_TYPE;
import static dev.dbpool.config.SettingType.INTEGER;
import static dev.dbpool.config.SettingType.TEXT_MAP;
import static dev.dbpool.config.SettingType.TEXT_SET;

/**
 * Every {@code db.pool.*} setting, once. Adding a pool setting is one entry here; a
 * setting of a capability's group also needs its field in {@link DbPoolProperties}, which
 * {@code PoolSettingTableTests} checks. The IDE metadata, the docs' property table, the
 * startup line, the snapshot's {@code config}, the strict check of unknown keys and the
 * resolver all come from this list.
 */
public final class PoolSettingTable {

	/**
	 * Prefix of the additional pools' settings: {@code db.pool.additional.<name>.*} takes
	 * every {@link #isPoolSetting pool setting}.
	 */
	public static final String ADDITIONAL_PREFIX = "db.pool.additional";

	private static final List<PoolSetting<?>> entries = new ArrayList<>();

	private static final Pattern SQL_STATE = Pattern.compile("[0-9A-Z]{5}");

	// Where the server is and who logs in

	/** Database URL; its value in the resolved settings is the JDBC URL. */
	public static final PoolSetting<String> URL = add(PoolSetting
		.define("url", SettingType.TEXT, "Database URL: postgresql://, postgres:// or jdbc:postgresql://.")
		.key("jdbcUrl")
		.alias("DATABASE_URL", TEXT));

	public static final PoolSetting<String> USERNAME = add(
			PoolSetting.define("username", SettingType.TEXT, "Login user; overrides the user in the URL."));

	public static final PoolSetting<String> PASSWORD = add(
			PoolSetting.define("password", SettingType.TEXT, "Login password; overrides the password in the URL.")
				.input());

	// The pool

	public static final PoolSetting<Integer> CONNECTION_LIMIT = add(
			PoolSetting.define("connection-limit", INTEGER, "Maximum number of connections in the pool.")
				.defaultValue(10)
				.url("connection_limit")
				.alias("DATABASE_POOL_SIZE", COUNT)
				.alias("DB_CONNECTION_LIMIT", COUNT)
				.rule((limit) -> limit >= 1, "a whole number of at least 1",
						"Set it to the number of connections this instance may hold, for example 10.", "0"));

	public static final PoolSetting<Integer> MIN_IDLE = add(PoolSetting
		.define("min-idle", INTEGER, "Minimum number of idle connections; unset keeps a fixed-size pool.")
		.derived("connection-limit")
		.rule((minIdle) -> minIdle >= 0, "0 or more", "Set how many idle connections the pool keeps, or unset it.",
				"-1"));

	public static final PoolSetting<Duration> POOL_TIMEOUT = add(PoolSetting
		.define("pool-timeout", DURATION_TYPE, "Maximum time to wait for a connection from the pool.")
		.defaultValue(Duration.ofSeconds(10))
		.url("pool_timeout")
		.alias("DB_POOL_TIMEOUT", SECONDS)
		.rule((timeout) -> timeout.toMillis() >= 1, "at least 1ms",
				"Set the longest a request may wait for a free connection, for example 10s; 0 (wait forever) is "
						+ "not supported, since every request would hang while the database is down.",
				"0"));

	public static final PoolSetting<Boolean> FAIR_ADMISSION = add(PoolSetting
		.define("fair-admission", BOOLEAN,
				"Whether requests are handed connections in the order they asked (a fair queue in front of "
						+ "HikariCP, so that no waiter starves until pool-timeout under heavy oversubscription).")
		.derived("true when spring.threads.virtual.enabled=true, else false"));

	public static final PoolSetting<Duration> CONNECT_TIMEOUT = add(PoolSetting
		.define("connect-timeout", DURATION_TYPE, "Maximum time to establish a new connection to the server.")
		.defaultValue(Duration.ofSeconds(5))
		.url("connect_timeout")
		.rule((timeout) -> timeout.toMillis() >= 1000 && timeout.toMillis() % 1000 == 0,
				"a whole number of seconds, at least 1s", "pgjdbc takes the connect timeout in whole seconds.",
				"1500ms"));

	public static final PoolSetting<Duration> IDLE_TIMEOUT = add(PoolSetting
		.define("idle-timeout", DURATION_TYPE, "Time after which a connection above min-idle is closed when unused.")
		.defaultValue(Duration.ofSeconds(60))
		.url("idle_timeout", "max_idle_connection_lifetime")
		.rule((timeout) -> timeout.isZero() || timeout.toSeconds() >= 10, "0 (never) or at least 10s",
				"HikariCP silently raises shorter idle timeouts to 10s.", "5s"));

	public static final PoolSetting<Duration> MAX_LIFETIME = add(
			PoolSetting.define("max-lifetime", DURATION_TYPE, "Maximum lifetime of a connection in the pool.")
				.defaultValue(Duration.ofMinutes(30))
				.url("max_connection_lifetime")
				.rule((lifetime) -> lifetime.isZero() || lifetime.toSeconds() >= 30, "0 (no limit) or at least 30s",
						"HikariCP silently replaces shorter lifetimes with 30 minutes.", "10s"));

	public static final PoolSetting<Duration> KEEPALIVE_TIME = add(PoolSetting
		.define("keepalive-time", DURATION_TYPE,
				"Interval at which idle connections are tested so that firewalls keep them open.")
		.defaultValue(Duration.ofMinutes(2))
		.rule((keepalive) -> keepalive.isZero() || keepalive.toSeconds() >= 30, "0 (off) or at least 30s",
				"HikariCP silently disables shorter keepalive intervals.", "10s"));

	public static final PoolSetting<Duration> LEAK_DETECTION_THRESHOLD = add(PoolSetting
		.define("leak-detection-threshold", DURATION_TYPE,
				"Time a connection may be out of the pool before it is reported as a possible leak; 0 disables.")
		.defaultValue(Duration.ZERO)
		.rule((threshold) -> threshold.isZero() || threshold.toMillis() >= 2000, "0 (off) or at least 2s",
				"HikariCP silently disables shorter leak detection thresholds.", "500ms"));

	// Server-side and driver timeouts

	public static final PoolSetting<Duration> QUERY_TIMEOUT = add(PoolSetting
		.define("query-timeout", DURATION_TYPE, "Server-side statement_timeout applied to every connection.")
		.defaultValue(Duration.ofSeconds(30))
		.url("statement_timeout")
		.alias("DB_QUERY_TIMEOUT", MILLISECONDS)
		.rule((timeout) -> !timeout.isNegative(), "0 (no limit) or a positive duration",
				"Set the longest time a statement may run, for example 30s.", "-1s"));

	public static final PoolSetting<Duration> IDLE_IN_TRANSACTION_TIMEOUT = add(PoolSetting
		.define("idle-in-transaction-timeout", DURATION_TYPE,
				"Server-side idle_in_transaction_session_timeout applied to every connection.")
		.defaultValue(Duration.ofSeconds(60))
		.url("idle_in_transaction_session_timeout")
		.rule((timeout) -> !timeout.isNegative(), "0 (no limit) or a positive duration",
				"Set how long a transaction may sit idle, for example 60s.", "-1s"));

	public static final PoolSetting<Duration> SOCKET_TIMEOUT = add(PoolSetting
		.define("socket-timeout", DURATION_TYPE,
				"Client-side socket read timeout; unset derives it from the query timeout.")
		.derived("3 x query-timeout, at most query-timeout + 10s, in whole seconds")
		.url("socket_timeout")
		.rule((timeout) -> !timeout.isNegative() && timeout.toMillis() % 1000 == 0,
				"0 (off) or a whole number of seconds", "pgjdbc takes the socket timeout in whole seconds.", "1500ms"));

	public static final PoolSetting<Integer> STATEMENT_CACHE_SIZE = add(PoolSetting
		.define("statement-cache-size", INTEGER, "Number of prepared statements cached per connection by the driver.")
		.defaultValue(100)
		.url("statement_cache_size")
		.alias("DB_STATEMENT_CACHE_SIZE", COUNT)
		.rule((size) -> size >= 0, "0 or more",
				"Set how many prepared statements each connection caches, for example 100.", "-1"));

	public static final PoolSetting<Boolean> PGBOUNCER = add(PoolSetting.define("pgbouncer", BOOLEAN,
			"Whether the server is PgBouncer in transaction mode (no server-side prepared statements, no startup options).")
		.defaultValue(false)
		.url("pgbouncer"));

	public static final PoolSetting<Boolean> REWRITE_BATCHED_INSERTS = add(PoolSetting
		.define("rewrite-batched-inserts", BOOLEAN,
				"Whether pgjdbc rewrites batched INSERTs into multi-row INSERTs (reWriteBatchedInserts); the batch's "
						+ "update counts are then SUCCESS_NO_INFO (-2).")
		.defaultValue(true));

	public static final PoolSetting<String> PGBOUNCER_SESSION_STATE = add(PoolSetting.define("pgbouncer-session-state",
			SettingType.TEXT,
			"What to do behind PgBouncer in transaction mode with a statement or JDBC call that keeps session "
					+ "state (session SET, LISTEN, session advisory locks, SQL PREPARE, temporary tables without ON "
					+ "COMMIT DROP, Connection.setSchema, setClientInfo of ApplicationName): warn (once per "
					+ "statement shape or call), fail or ignore.")
		.defaultValue("warn")
		.oneOf("warn", "fail", "ignore"));

	public static final PoolSetting<String> SSL_MODE = add(PoolSetting
		.define("ssl-mode", SettingType.TEXT, "SSL mode: disable, allow, prefer, require, verify-ca or verify-full.")
		.defaultValue("prefer")
		.url("sslmode")
		.oneOf("disable", "allow", "prefer", "require", "verify-ca", "verify-full"));

	public static final PoolSetting<String> SCHEMA = add(
			PoolSetting.define("schema", SettingType.TEXT, "Schema put first on the search_path of every connection.")
				.url("schema"));

	public static final PoolSetting<String> APPLICATION_NAME = add(PoolSetting
		.define("application-name", SettingType.TEXT,
				"Name reported to the server in pg_stat_activity, and the pool's name.")
		.derived("spring.application.name, else dbpool")
		.url("application_name"));

	public static final PoolSetting<Duration> STARTUP_TIMEOUT = add(PoolSetting
		.define("startup-timeout", DURATION_TYPE,
				"How long startup keeps trying to reach a database that is not up yet.")
		.defaultValue(Duration.ofSeconds(60))
		.rule((timeout) -> !timeout.isNegative(), "0 (try once) or a positive duration",
				"Set how long startup waits for the database, for example 60s.", "-1s"));

	public static final PoolSetting<Integer> INSTANCES = add(PoolSetting
		.define("instances", INTEGER, "Number of copies of this application that share the database server.")
		.defaultValue(1)
		.rule((instances) -> instances >= 1, "1 or more",
				"Set how many copies of this application share the database server.", "0"));

	public static final PoolSetting<java.util.Map<String, String>> DATA_SOURCE_PROPERTIES = add(PoolSetting
		.define("data-source-properties", TEXT_MAP,
				"Further pgjdbc connection properties, passed to the driver as given.")
		.group());

	// Slow-query log

	public static final PoolSetting<Boolean> SLOW_QUERY_ENABLED = add(PoolSetting
		.define("slow-query.enabled", BOOLEAN, "Whether statements slower than the threshold are logged and kept.")
		.defaultValue(true)
		.group());

	public static final PoolSetting<Duration> SLOW_QUERY_THRESHOLD = add(PoolSetting
		.define("slow-query.threshold", DURATION_TYPE, "Elapsed time from which a statement counts as slow.")
		.defaultValue(Duration.ofSeconds(1))
		.alias("DB_SLOW_QUERY_THRESHOLD", MILLISECONDS)
		.alias("SLOW_QUERY_THRESHOLD", MILLISECONDS)
		.bound()
		.rule((threshold) -> threshold.toNanos() > 0, "a positive duration",
				"Set the time from which a statement counts as slow, for example 500ms.", "0"));

	public static final PoolSetting<Boolean> SLOW_QUERY_LOG_PARAMETERS = add(PoolSetting
		.define("slow-query.log-parameters", BOOLEAN,
				"Whether bind parameters are logged with a slow statement (values of secret-looking names never are).")
		.defaultValue(false)
		.group());

	public static final PoolSetting<Boolean> SLOW_QUERY_RAW_SQL = add(PoolSetting
		.define("slow-query.raw-sql", BOOLEAN,
				"Whether slow statements are logged and listed with their literal values instead of '?'; literals "
						+ "can hold personal data and secrets.")
		.defaultValue(false)
		.group());

	public static final PoolSetting<Integer> SLOW_QUERY_MAX_SQL_LENGTH = add(PoolSetting
		.define("slow-query.max-sql-length", INTEGER,
				"Maximum length of the SQL in a log line or in the history; longer SQL is truncated.")
		.defaultValue(1000)
		.group()
		.rule((length) -> length >= 1, "1 or more", "Set how many characters of SQL are kept, for example 1000.", "0"));

	public static final PoolSetting<Integer> SLOW_QUERY_HISTORY_SIZE = add(PoolSetting
		.define("slow-query.history-size", INTEGER, "Number of recent slow statements kept for /metrics/database.")
		.defaultValue(50)
		.group()
		.rule((size) -> size >= 0, "0 or more", "Set how many slow statements are kept, for example 50.", "-1"));

	public static final PoolSetting<Boolean> SLOW_QUERY_PLAN_ENABLED = add(PoolSetting
		.define("slow-query.plan.enabled", BOOLEAN,
				"Whether the plan of a slow SELECT, INSERT, UPDATE or DELETE is captured with EXPLAIN on one extra "
						+ "connection.")
		.defaultValue(true)
		.group());

	public static final PoolSetting<Integer> SLOW_QUERY_PLAN_MAX_PER_MINUTE = add(
			PoolSetting.define("slow-query.plan.max-per-minute", INTEGER, "Most plans captured in one minute.")
				.defaultValue(10)
				.group()
				.rule((count) -> count >= 1, "1 or more",
						"Set how many plans may be captured per minute, for example 10.", "0"));

	public static final PoolSetting<Duration> SLOW_QUERY_PLAN_CACHE_TIME = add(PoolSetting
		.define("slow-query.plan.cache-time", DURATION_TYPE,
				"How long the plan of a statement shape is reused before it is captured again.")
		.defaultValue(Duration.ofMinutes(10))
		.group()
		.rule((time) -> !time.isNegative(), "0 or a positive duration",
				"Set how long a captured plan is reused, for example 10m.", "-1s"));

	public static final PoolSetting<Duration> SLOW_QUERY_PLAN_TIMEOUT = add(
			PoolSetting.define("slow-query.plan.timeout", DURATION_TYPE, "Statement timeout of one EXPLAIN.")
				.defaultValue(Duration.ofSeconds(2))
				.group()
				.rule((timeout) -> timeout.toMillis() >= 1, "a positive duration",
						"Set how long one EXPLAIN may run, for example 2s.", "0"));

	// Query observation

	public static final PoolSetting<Boolean> OBSERVATION_ENABLED = add(PoolSetting
		.define("observation.enabled", BOOLEAN,
				"Whether statements are observed at all; off leaves the pool unwrapped.")
		.defaultValue(true)
		.group());

	public static final PoolSetting<Integer> OBSERVATION_TOP_QUERIES = add(
			PoolSetting.define("observation.top-queries", INTEGER, "Number of statement shapes listed in topQueries.")
				.defaultValue(10)
				.group()
				.rule((count) -> count >= 0, "0 or more", "Set how many shapes are listed, for example 10.", "-1"));

	public static final PoolSetting<Integer> OBSERVATION_MAX_SHAPES = add(PoolSetting
		.define("observation.max-shapes", INTEGER,
				"Maximum number of distinct statement shapes tracked; the least used are evicted.")
		.defaultValue(500)
		.group()
		.rule((count) -> count >= 1, "1 or more", "Set how many shapes are tracked, for example 500.", "0"));

	public static final PoolSetting<String> OBSERVATION_MICROMETER_OBSERVATIONS = add(PoolSetting
		.define("observation.micrometer-observations", SettingType.TEXT,
				"When statements and connection acquisitions are also Micrometer Observations (jdbc.query, "
						+ "jdbc.connection): auto (when they make spans: a tracing handler is present, or the "
						+ "application declared its own ObservationRegistry), always (whenever the registry has "
						+ "handlers), never.")
		.defaultValue("auto")
		.group()
		.oneOfAnyCase("auto", "always", "never"));

	public static final PoolSetting<Boolean> OBSERVATION_TRACK_TRANSACTIONS = add(PoolSetting
		.define("observation.track-transactions", BOOLEAN,
				"Whether statements are counted per transaction and per web request (repeated statements, "
						+ "transaction statistics).")
		.defaultValue(true)
		.group());

	public static final PoolSetting<Integer> OBSERVATION_REPEATED_THRESHOLD = add(PoolSetting
		.define("observation.repeated-threshold", INTEGER,
				"Executions of one statement shape within one transaction or web request from which it is reported "
						+ "as repeated (N+1).")
		.defaultValue(10)
		.group()
		.rule((count) -> count >= 2, "2 or more",
				"Set how many executions of one shape count as repeated, for example 10.", "1"));

	public static final PoolSetting<Duration> OBSERVATION_REPEATED_WARN_INTERVAL = add(PoolSetting
		.define("observation.repeated-warn-interval", DURATION_TYPE,
				"Shortest time between two warnings about the same repeated statement shape.")
		.defaultValue(Duration.ofMinutes(5))
		.group()
		.rule((interval) -> !interval.isNegative(), "0 or a positive duration",
				"Set the time between two warnings about one repeated shape, for example 5m.", "-1s"));

	// Pool pressure warnings

	public static final PoolSetting<Double> ALERTS_UTILIZATION_THRESHOLD = add(PoolSetting
		.define("alerts.utilization-threshold", DECIMAL,
				"Pool utilization, in percent, above which one warning is logged per excursion.")
		.defaultValue(80.0)
		.group()
		.rule((percent) -> percent > 0 && percent <= 100, "a percentage above 0 and at most 100",
				"Set the utilization that triggers a warning, for example 80.", "150"));

	public static final PoolSetting<Duration> ALERTS_CHECK_INTERVAL = add(
			PoolSetting.define("alerts.check-interval", DURATION_TYPE, "How often pool utilization is sampled.")
				.defaultValue(Duration.ofSeconds(1))
				.group()
				.rule((interval) -> interval.toMillis() >= 1, "a positive duration",
						"Set how often utilization is sampled, for example 1s.", "0"));

	// Retry of transient failures

	public static final PoolSetting<Boolean> RETRY_ENABLED = add(PoolSetting
		.define("retry.enabled", BOOLEAN,
				"Whether transient failures are retried at all; off runs every call once (the TransactionRetry and "
						+ "RetryingTransactionTemplate beans stay available).")
		.defaultValue(true)
		.group());

	public static final PoolSetting<Boolean> RETRY_TRANSACTIONAL = add(PoolSetting
		.define("retry.transactional", BOOLEAN, "Whether every @Transactional method is retried as well.")
		.defaultValue(false)
		.group());

	public static final PoolSetting<Integer> RETRY_MAX_ATTEMPTS = add(
			PoolSetting.define("retry.max-attempts", INTEGER, "Maximum number of attempts, the first included.")
				.defaultValue(3)
				.group()
				.rule((attempts) -> attempts >= 1, "at least 1 (1 disables retry)",
						retryAction("max-attempts", "at least 1 (1 disables retry)"), "0"));

	public static final PoolSetting<Duration> RETRY_INITIAL_DELAY = add(PoolSetting
		.define("retry.initial-delay", DURATION_TYPE, "Delay before the first retry after an availability failure.")
		.defaultValue(Duration.ofSeconds(1))
		.group()
		.rule((delay) -> !delay.isNegative(), "a duration of 0 or more, such as 1s",
				retryAction("initial-delay", "a duration of 0 or more, such as 1s"), "-1s"));

	public static final PoolSetting<Double> RETRY_MULTIPLIER = add(
			PoolSetting.define("retry.multiplier", DECIMAL, "Factor applied to the delay after each retry.")
				.defaultValue(2.0)
				.group()
				.rule((multiplier) -> multiplier >= 1, "a number of at least 1 (1 keeps the delay fixed)",
						retryAction("multiplier", "a number of at least 1 (1 keeps the delay fixed)"), "0.5"));

	public static final PoolSetting<Duration> RETRY_MAX_DELAY = add(
			PoolSetting.define("retry.max-delay", DURATION_TYPE, "Upper bound of the delay between two attempts.")
				.defaultValue(Duration.ofSeconds(10))
				.group()
				.rule((delay) -> !delay.isNegative() && !delay.isZero(), "a duration greater than 0, such as 10s",
						retryAction("max-delay", "a duration greater than 0, such as 10s"), "0"));

	public static final PoolSetting<Double> RETRY_JITTER = add(PoolSetting
		.define("retry.jitter", DECIMAL,
				"Random share of each delay, from 0 to 1, that spreads retries of many callers.")
		.defaultValue(0.2)
		.group()
		.rule((jitter) -> jitter >= 0 && jitter <= 1, "a number from 0 to 1",
				retryAction("jitter", "a number from 0 to 1"), "1.5"));

	public static final PoolSetting<Duration> RETRY_CONTENTION_INITIAL_DELAY = add(PoolSetting
		.define("retry.contention-initial-delay", DURATION_TYPE,
				"Delay before the first retry after a serialization failure or deadlock.")
		.defaultValue(Duration.ofMillis(20))
		.group()
		.rule((delay) -> !delay.isNegative(), "a duration of 0 or more, such as 1s",
				retryAction("contention-initial-delay", "a duration of 0 or more, such as 1s"), "-1s"));

	public static final PoolSetting<Duration> RETRY_CONTENTION_MAX_DELAY = add(PoolSetting
		.define("retry.contention-max-delay", DURATION_TYPE,
				"Upper bound of the delay between two attempts after contention failures.")
		.defaultValue(Duration.ofMillis(500))
		.group()
		.rule((delay) -> !delay.isNegative() && !delay.isZero(), "a duration greater than 0, such as 10s",
				retryAction("contention-max-delay", "a duration greater than 0, such as 10s"), "0"));

	public static final PoolSetting<Boolean> RETRY_STATEMENT_TIMEOUT = add(PoolSetting
		.define("retry.retry-statement-timeout", BOOLEAN, "Whether a statement timeout (57014) is retried.")
		.defaultValue(false)
		.group());

	public static final PoolSetting<Set<String>> RETRY_ADDITIONAL_SQL_STATES = add(PoolSetting
		.define("retry.additional-sql-states", TEXT_SET, "Further SQLSTATEs to retry as whole transactions.")
		.defaultValue(Set.of())
		.group()
		.rule(PoolSettingTable::areSqlStates, "five-character SQLSTATEs (digits or upper-case letters) such as 40001",
				retryAction("additional-sql-states",
						"five-character SQLSTATEs (digits or upper-case letters) such as 40001"),
				"4001"));

	public static final PoolSetting<Set<String>> RETRY_EXCLUDED_SQL_STATES = add(PoolSetting
		.define("retry.excluded-sql-states", TEXT_SET, "SQLSTATEs never to retry, even when classified as transient.")
		.defaultValue(Set.of())
		.group()
		.rule(PoolSettingTable::areSqlStates, "five-character SQLSTATEs (digits or upper-case letters) such as 40001",
				retryAction("excluded-sql-states",
						"five-character SQLSTATEs (digits or upper-case letters) such as 40001"),
				"x"));

	public static final PoolSetting<Boolean> RETRY_RESOLVE_COMMIT_OUTCOME = add(PoolSetting.define(
			"retry.resolve-commit-outcome", BOOLEAN,
			"Whether a COMMIT whose answer was lost with the connection is resolved by asking the server "
					+ "(pg_xact_status) on a fresh connection: committed returns normally, aborted is retried; costs "
					+ "one round trip per read-write transaction of a retried call.")
		.defaultValue(true)
		.group());

	public static final PoolSetting<Boolean> RETRY_BUDGET_ENABLED = add(
			PoolSetting.define("retry.budget.enabled", BOOLEAN, "Whether retries are capped by the budget.")
				.defaultValue(true)
				.group());

	public static final PoolSetting<Double> RETRY_BUDGET_RATIO = add(PoolSetting
		.define("retry.budget.ratio", DECIMAL, "Retries allowed as a share of the calls made in the window.")
		.defaultValue(0.2)
		.group()
		.rule((ratio) -> ratio >= 0, "a number of at least 0, such as 0.2 for one retry per five calls",
				retryAction("budget.ratio", "a number of at least 0, such as 0.2 for one retry per five calls"),
				"-0.1"));

	public static final PoolSetting<Integer> RETRY_BUDGET_MIN_RETRIES_PER_SECOND = add(PoolSetting
		.define("retry.budget.min-retries-per-second", INTEGER,
				"Retries always allowed per second, whatever the number of calls.")
		.defaultValue(5)
		.group()
		.rule((retries) -> retries >= 0, "a whole number of at least 0",
				retryAction("budget.min-retries-per-second", "a whole number of at least 0"), "-1"));

	public static final PoolSetting<Duration> RETRY_BUDGET_WINDOW = add(PoolSetting
		.define("retry.budget.window", DURATION_TYPE, "Window over which calls and retries are counted.")
		.defaultValue(Duration.ofSeconds(10))
		.group()
		.rule((window) -> window.compareTo(Duration.ofMillis(100)) >= 0, "a duration of at least 100ms, such as 10s",
				retryAction("budget.window", "a duration of at least 100ms, such as 10s"), "50ms"));

	// Health and readiness

	public static final PoolSetting<Boolean> HEALTH_ENABLED = add(
			PoolSetting.define("health.enabled", BOOLEAN, "Whether the pool health indicator is registered.")
				.defaultValue(true)
				.group());

	public static final PoolSetting<Duration> HEALTH_TIMEOUT = add(PoolSetting
		.define("health.timeout", DURATION_TYPE,
				"Longest time a health check may take before the database is reported unknown or down.")
		.defaultValue(Duration.ofSeconds(2))
		.group()
		.rule((timeout) -> timeout.toMillis() >= 1, "a positive duration",
				"Set how long a health check may take, for example 2s.", "0"));

	public static final PoolSetting<String> HEALTH_READINESS_PATH = add(PoolSetting
		.define("health.readiness-path", SettingType.TEXT,
				"Path on the application port that serves the readiness group; empty disables it.")
		.defaultValue("/health/ready")
		.group()
		.rule((path) -> path.isEmpty() || path.startsWith("/"), "empty, or a path starting with /",
				"Set a path such as /health/ready, or empty to disable it.", "health/ready"));

	// Shutdown

	public static final PoolSetting<Duration> SHUTDOWN_DRAIN_TIMEOUT = add(PoolSetting
		.define("shutdown.drain-timeout", DURATION_TYPE,
				"How long in-flight work may keep its connections after shutdown starts.")
		.defaultValue(Duration.ofSeconds(30))
		.group()
		.rule((timeout) -> !timeout.isNegative(), "0 or a positive duration",
				"Set how long shutdown waits for in-flight work, for example 30s.", "-1s"));

	// The snapshot endpoint

	public static final PoolSetting<Boolean> ENDPOINT_ENABLED = add(PoolSetting
		.define("endpoint.enabled", BOOLEAN,
				"Whether the snapshot is served on the application port; unset serves it only while Actuator shares "
						+ "that port (no separate management.server.port).")
		.derived("on unless management.server.port differs from server.port")
		.group());

	public static final PoolSetting<Boolean> ENDPOINT_SHOW_INTERNALS = add(PoolSetting
		.define("endpoint.show-internals", BOOLEAN,
				"Whether the application-port snapshot also shows the internal sections (server view, connection "
						+ "budget, replica URL, leak stack traces, every setting).")
		.defaultValue(false)
		.group());

	public static final PoolSetting<Boolean> ENDPOINT_RESET_ENABLED = add(PoolSetting
		.define("endpoint.reset-enabled", BOOLEAN,
				"Whether DELETE, or POST with a JSON content type, on the application-port path resets the query "
						+ "statistics; anyone who reaches the port can then reset.")
		.defaultValue(false)
		.group());

	public static final PoolSetting<String> ENDPOINT_PATH = add(
			PoolSetting.define("endpoint.path", SettingType.TEXT, "Path of the snapshot on the application port.")
				.defaultValue("/metrics/database")
				.group()
				.rule((path) -> path.startsWith("/"), "a path starting with /", "Set a path such as /metrics/database.",
						"metrics"));

	public static final PoolSetting<Duration> ENDPOINT_SERVER_VIEW_CACHE_TIME = add(PoolSetting
		.define("endpoint.server-view-cache-time", DURATION_TYPE,
				"How long the server-side view (pg_stat_activity, database size) is cached.")
		.defaultValue(Duration.ofSeconds(5))
		.group()
		.rule((time) -> !time.isNegative(), "0 or a positive duration",
				"Set how long the server view is cached, for example 5s.", "-1s"));

	public static final PoolSetting<Duration> ENDPOINT_SERVER_VIEW_TIMEOUT = add(PoolSetting
		.define("endpoint.server-view-timeout", DURATION_TYPE,
				"Longest wait for a fresh server-side view; after it the view is reported as unknown.")
		.defaultValue(Duration.ofSeconds(1))
		.group()
		.rule((timeout) -> timeout.toMillis() >= 1, "a positive duration",
				"Set how long a fresh server view may take, for example 1s.", "0"));

	// Read replica

	public static final PoolSetting<String> REPLICA_URL = add(
			PoolSetting.define("replica.url", SettingType.TEXT, "Replica URL; unset sends all work to the primary.")
				.alias("DATABASE_REPLICA_URL", TEXT)
				.group());

	public static final PoolSetting<Boolean> REPLICA_FALLBACK_TO_PRIMARY = add(PoolSetting
		.define("replica.fallback-to-primary", BOOLEAN,
				"Whether read-only work falls back to the primary when the replica is down.")
		.defaultValue(true)
		.group());

	public static final PoolSetting<Duration> REPLICA_RETRY_INTERVAL = add(PoolSetting
		.define("replica.retry-interval", DURATION_TYPE,
				"How long read-only work goes straight to the primary after the replica failed, before the replica is "
						+ "tried again.")
		.defaultValue(Duration.ofSeconds(10))
		.group()
		.rule((interval) -> !interval.isNegative(), "0 or a positive duration",
				"Set how long the replica is skipped after a failure, for example 10s.", "-1s"));

	private PoolSettingTable() {
	}

	/** Every setting, in the table's order. */
	public static List<PoolSetting<?>> all() {
		return Collections.unmodifiableList(entries);
	}

	/**
	 * Whether each pool has its own value of the setting (the additional pools too): the
	 * top-level settings but {@code instances}, which is the application's, as are the
	 * capabilities' groups.
	 * @param setting the setting
	 * @return whether it is a pool setting
	 */
	public static boolean isPoolSetting(PoolSetting<?> setting) {
		return !setting.name().contains(".") && setting != INSTANCES;
	}

	/** The setting of a full property name ({@code db.pool.connection-limit}), if any. */
	public static Optional<PoolSetting<?>> forProperty(String property) {
		return entries.stream().filter((setting) -> setting.property().equals(property)).findFirst();
	}

	private static <T> PoolSetting<T> add(PoolSetting.Builder<T> builder) {
		PoolSetting<T> setting = builder.build();
		entries.add(setting);
		return setting;
	}

	private static boolean areSqlStates(Set<String> states) {
		return states.stream().allMatch((state) -> SQL_STATE.matcher(state.trim()).matches());
	}

	private static String retryAction(String property, String expected) {
		return "Change db.pool.retry." + property + " to " + expected
				+ ", or remove it to use the default (see docs/retry.md).";
	}

}
