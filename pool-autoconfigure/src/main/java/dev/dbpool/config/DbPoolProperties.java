package dev.dbpool.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The capabilities' groups of {@code db.pool.*} (slow-query log, observation, retry,
 * health, ...), bound by Spring for their auto-configurations. The pool settings
 * themselves ({@code db.pool.url}, {@code db.pool.connection-limit}, ...) are not fields
 * here: they are entries of the {@link PoolSettingTable}, resolved with the database
 * URL's parameters and the seed aliases into {@link DbPoolSettings}. Every field here has
 * its entry in the table too (checked by {@code PoolSettingTableTests}), which supplies
 * its metadata, its validation and its docs row.
 */
@ConfigurationProperties("db.pool")
public class DbPoolProperties {

	/** Further pgjdbc connection properties, passed to the driver as given. */
	private final Map<String, String> dataSourceProperties = new LinkedHashMap<>();

	private final SlowQuery slowQuery = new SlowQuery();

	private final Observation observation = new Observation();

	private final Alerts alerts = new Alerts();

	private final Retry retry = new Retry();

	private final Health health = new Health();

	private final Shutdown shutdown = new Shutdown();

	private final Endpoint endpoint = new Endpoint();

	private final Replica replica = new Replica();

	public Map<String, String> getDataSourceProperties() {
		return this.dataSourceProperties;
	}

	public SlowQuery getSlowQuery() {
		return this.slowQuery;
	}

	public Observation getObservation() {
		return this.observation;
	}

	public Alerts getAlerts() {
		return this.alerts;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public Health getHealth() {
		return this.health;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	public Endpoint getEndpoint() {
		return this.endpoint;
	}

	public Replica getReplica() {
		return this.replica;
	}

	/** Slow-query log. */
	public static class SlowQuery {

		/** Whether statements slower than the threshold are logged and kept. */
		private boolean enabled = true;

		/** Elapsed time from which a statement counts as slow. */
		private Duration threshold = Duration.ofSeconds(1);

		/**
		 * Whether bind parameters are logged with a slow statement (values of
		 * secret-looking names never are).
		 */
		private boolean logParameters;

		/**
		 * Whether slow statements are logged and listed with their literal values instead
		 * of '?'; literals can hold personal data and secrets.
		 */
		private boolean rawSql;

		/**
		 * Maximum length of the SQL in a log line or in the history; longer SQL is
		 * truncated.
		 */
		private int maxSqlLength = 1000;

		/** Number of recent slow statements kept for /metrics/database. */
		private int historySize = 50;

		private final Plan plan = new Plan();

		public Plan getPlan() {
			return this.plan;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getThreshold() {
			return this.threshold;
		}

		public void setThreshold(Duration threshold) {
			this.threshold = threshold;
		}

		public boolean isRawSql() {
			return this.rawSql;
		}

		public void setRawSql(boolean rawSql) {
			this.rawSql = rawSql;
		}

		public boolean isLogParameters() {
			return this.logParameters;
		}

		public void setLogParameters(boolean logParameters) {
			this.logParameters = logParameters;
		}

		public int getMaxSqlLength() {
			return this.maxSqlLength;
		}

		public void setMaxSqlLength(int maxSqlLength) {
			this.maxSqlLength = maxSqlLength;
		}

		public int getHistorySize() {
			return this.historySize;
		}

		public void setHistorySize(int historySize) {
			this.historySize = historySize;
		}

		/**
		 * Plans of slow statements (EXPLAIN, never ANALYZE), within the connection limit.
		 */
		public static class Plan {

			/**
			 * Whether the plan of a slow SELECT, INSERT, UPDATE or DELETE is captured
			 * with EXPLAIN, on a connection within connection-limit (skipped when the
			 * pool has none free).
			 */
			private boolean enabled = true;

			/** Most plans captured in one minute. */
			private int maxPerMinute = 10;

			/**
			 * How long the plan of a statement shape is reused before it is captured
			 * again.
			 */
			private Duration cacheTime = Duration.ofMinutes(10);

			/** Statement timeout of one EXPLAIN. */
			private Duration timeout = Duration.ofSeconds(2);

			public boolean isEnabled() {
				return this.enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

			public int getMaxPerMinute() {
				return this.maxPerMinute;
			}

			public void setMaxPerMinute(int maxPerMinute) {
				this.maxPerMinute = maxPerMinute;
			}

			public Duration getCacheTime() {
				return this.cacheTime;
			}

			public void setCacheTime(Duration cacheTime) {
				this.cacheTime = cacheTime;
			}

			public Duration getTimeout() {
				return this.timeout;
			}

			public void setTimeout(Duration timeout) {
				this.timeout = timeout;
			}

		}

	}

	/** Query observation: statistics, statement shapes and query metrics. */
	public static class Observation {

		/** Whether statements are observed at all; off leaves the pool unwrapped. */
		private boolean enabled = true;

		/** Number of statement shapes listed in topQueries. */
		private int topQueries = 10;

		/**
		 * Maximum number of distinct statement shapes tracked; the least used are
		 * evicted.
		 */
		private int maxShapes = 500;

		/**
		 * When statements and connection acquisitions are also Micrometer Observations
		 * (jdbc.query, jdbc.connection): auto (when they make spans: a tracing handler is
		 * present, or the application declared its own ObservationRegistry), always
		 * (whenever the registry has handlers), never.
		 */
		private MicrometerObservations micrometerObservations = MicrometerObservations.AUTO;

		public MicrometerObservations getMicrometerObservations() {
			return this.micrometerObservations;
		}

		public void setMicrometerObservations(MicrometerObservations micrometerObservations) {
			this.micrometerObservations = micrometerObservations;
		}

		/**
		 * Whether statements are counted per transaction and per web request (repeated
		 * statements, transaction statistics).
		 */
		private boolean trackTransactions = true;

		/**
		 * Executions of one statement shape within one transaction or web request from
		 * which it is reported as repeated (N+1).
		 */
		private int repeatedThreshold = 10;

		/** Shortest time between two warnings about the same repeated statement shape. */
		private Duration repeatedWarnInterval = Duration.ofMinutes(5);

		public boolean isTrackTransactions() {
			return this.trackTransactions;
		}

		public void setTrackTransactions(boolean trackTransactions) {
			this.trackTransactions = trackTransactions;
		}

		public int getRepeatedThreshold() {
			return this.repeatedThreshold;
		}

		public void setRepeatedThreshold(int repeatedThreshold) {
			this.repeatedThreshold = repeatedThreshold;
		}

		public Duration getRepeatedWarnInterval() {
			return this.repeatedWarnInterval;
		}

		public void setRepeatedWarnInterval(Duration repeatedWarnInterval) {
			this.repeatedWarnInterval = repeatedWarnInterval;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getTopQueries() {
			return this.topQueries;
		}

		public void setTopQueries(int topQueries) {
			this.topQueries = topQueries;
		}

		public int getMaxShapes() {
			return this.maxShapes;
		}

		public void setMaxShapes(int maxShapes) {
			this.maxShapes = maxShapes;
		}

	}

	/** When the pool makes Micrometer Observations. */
	public enum MicrometerObservations {

		/**
		 * When they make spans: a tracing handler bean is present, or the application
		 * declared its own ObservationRegistry; not for Boot's registry with only its
		 * meter handler, whose timers would repeat db.pool.query.duration.
		 */
		AUTO,

		/** Whenever the ObservationRegistry has handlers. */
		ALWAYS,

		/** Never: the untraced path whatever the registry. */
		NEVER

	}

	/** Pool pressure warnings. */
	public static class Alerts {

		/**
		 * Pool utilization, in percent, above which one warning is logged per excursion.
		 */
		private double utilizationThreshold = 80.0;

		/** How often pool utilization is sampled. */
		private Duration checkInterval = Duration.ofSeconds(1);

		public double getUtilizationThreshold() {
			return this.utilizationThreshold;
		}

		public void setUtilizationThreshold(double utilizationThreshold) {
			this.utilizationThreshold = utilizationThreshold;
		}

		public Duration getCheckInterval() {
			return this.checkInterval;
		}

		public void setCheckInterval(Duration checkInterval) {
			this.checkInterval = checkInterval;
		}

	}

	/** Retry of transient failures. */
	public static class Retry {

		/**
		 * Whether transient failures are retried at all; off runs every call once (the
		 * TransactionRetry and RetryingTransactionTemplate beans stay available).
		 */
		private boolean enabled = true;

		/** Whether every @Transactional method is retried as well. */
		private boolean transactional;

		/** Maximum number of attempts, the first included. */
		private int maxAttempts = 3;

		/** Delay before the first retry after an availability failure. */
		private Duration initialDelay = Duration.ofSeconds(1);

		/** Factor applied to the delay after each retry. */
		private double multiplier = 2.0;

		/** Upper bound of the delay between two attempts. */
		private Duration maxDelay = Duration.ofSeconds(10);

		/**
		 * Random share of each delay, from 0 to 1, that spreads retries of many callers.
		 */
		private double jitter = 0.2;

		/** Delay before the first retry after a serialization failure or deadlock. */
		private Duration contentionInitialDelay = Duration.ofMillis(20);

		/** Upper bound of the delay between two attempts after contention failures. */
		private Duration contentionMaxDelay = Duration.ofMillis(500);

		/** Whether a statement timeout (57014) is retried. */
		private boolean retryStatementTimeout;

		/** Further SQLSTATEs to retry as whole transactions. */
		private Set<String> additionalSqlStates = new LinkedHashSet<>();

		/** SQLSTATEs never to retry, even when classified as transient. */
		private Set<String> excludedSqlStates = new LinkedHashSet<>();

		/**
		 * Whether a COMMIT whose answer was lost with the connection is resolved by
		 * asking the server (pg_xact_status) on a connection within connection-limit:
		 * committed returns normally, aborted is retried; costs one round trip per
		 * read-write transaction of a retried call.
		 */
		private boolean resolveCommitOutcome = true;

		private final Budget budget = new Budget();

		public boolean isResolveCommitOutcome() {
			return this.resolveCommitOutcome;
		}

		public void setResolveCommitOutcome(boolean resolveCommitOutcome) {
			this.resolveCommitOutcome = resolveCommitOutcome;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isTransactional() {
			return this.transactional;
		}

		public void setTransactional(boolean transactional) {
			this.transactional = transactional;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialDelay() {
			return this.initialDelay;
		}

		public void setInitialDelay(Duration initialDelay) {
			this.initialDelay = initialDelay;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public double getJitter() {
			return this.jitter;
		}

		public void setJitter(double jitter) {
			this.jitter = jitter;
		}

		public Duration getContentionInitialDelay() {
			return this.contentionInitialDelay;
		}

		public void setContentionInitialDelay(Duration contentionInitialDelay) {
			this.contentionInitialDelay = contentionInitialDelay;
		}

		public Duration getContentionMaxDelay() {
			return this.contentionMaxDelay;
		}

		public void setContentionMaxDelay(Duration contentionMaxDelay) {
			this.contentionMaxDelay = contentionMaxDelay;
		}

		public boolean isRetryStatementTimeout() {
			return this.retryStatementTimeout;
		}

		public void setRetryStatementTimeout(boolean retryStatementTimeout) {
			this.retryStatementTimeout = retryStatementTimeout;
		}

		public Set<String> getAdditionalSqlStates() {
			return this.additionalSqlStates;
		}

		public void setAdditionalSqlStates(Set<String> additionalSqlStates) {
			this.additionalSqlStates = additionalSqlStates;
		}

		public Set<String> getExcludedSqlStates() {
			return this.excludedSqlStates;
		}

		public void setExcludedSqlStates(Set<String> excludedSqlStates) {
			this.excludedSqlStates = excludedSqlStates;
		}

		public Budget getBudget() {
			return this.budget;
		}

		/** Cap on retries, so that an outage does not become a retry storm. */
		public static class Budget {

			/** Whether retries are capped by the budget. */
			private boolean enabled = true;

			/** Retries allowed as a share of the calls made in the window. */
			private double ratio = 0.2;

			/** Retries always allowed per second, whatever the number of calls. */
			private int minRetriesPerSecond = 5;

			/** Window over which calls and retries are counted. */
			private Duration window = Duration.ofSeconds(10);

			public boolean isEnabled() {
				return this.enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

			public double getRatio() {
				return this.ratio;
			}

			public void setRatio(double ratio) {
				this.ratio = ratio;
			}

			public int getMinRetriesPerSecond() {
				return this.minRetriesPerSecond;
			}

			public void setMinRetriesPerSecond(int minRetriesPerSecond) {
				this.minRetriesPerSecond = minRetriesPerSecond;
			}

			public Duration getWindow() {
				return this.window;
			}

			public void setWindow(Duration window) {
				this.window = window;
			}

		}

	}

	/** Pool health indicator and readiness. */
	public static class Health {

		/** Whether the pool health indicator is registered. */
		private boolean enabled = true;

		/**
		 * Longest time a health check may take before the database is reported unknown or
		 * down.
		 */
		private Duration timeout = Duration.ofSeconds(2);

		/**
		 * Path on the application port that serves the readiness group; empty disables
		 * it.
		 */
		private String readinessPath = "/health/ready";

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public String getReadinessPath() {
			return this.readinessPath;
		}

		public void setReadinessPath(String readinessPath) {
			this.readinessPath = readinessPath;
		}

	}

	/** Graceful shutdown of the pool. */
	public static class Shutdown {

		/** How long in-flight work may keep its connections after shutdown starts. */
		private Duration drainTimeout = Duration.ofSeconds(30);

		public Duration getDrainTimeout() {
			return this.drainTimeout;
		}

		public void setDrainTimeout(Duration drainTimeout) {
			this.drainTimeout = drainTimeout;
		}

	}

	/** The JSON snapshot at /metrics/database. */
	public static class Endpoint {

		/**
		 * Whether the snapshot is served on the application port; unset serves it only
		 * while Actuator shares that port (no separate management.server.port).
		 */
		private @Nullable Boolean enabled;

		/**
		 * Whether the application-port snapshot also shows the internal sections (server
		 * view, connection budget, replica URL, leak stack traces, every setting).
		 */
		private boolean showInternals;

		/**
		 * Whether DELETE, or POST with a JSON content type, on the application-port path
		 * resets the query statistics; anyone who reaches the port can then reset.
		 */
		private boolean resetEnabled;

		/** Path of the snapshot on the application port. */
		private String path = "/metrics/database";

		/** How long the server-side view (pg_stat_activity, database size) is cached. */
		private Duration serverViewCacheTime = Duration.ofSeconds(5);

		/**
		 * Longest wait for a fresh server-side view; after it the view is reported as
		 * unknown (for example while the pool is exhausted).
		 */
		private Duration serverViewTimeout = Duration.ofSeconds(1);

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isShowInternals() {
			return this.showInternals;
		}

		public void setShowInternals(boolean showInternals) {
			this.showInternals = showInternals;
		}

		public boolean isResetEnabled() {
			return this.resetEnabled;
		}

		public void setResetEnabled(boolean resetEnabled) {
			this.resetEnabled = resetEnabled;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		public Duration getServerViewCacheTime() {
			return this.serverViewCacheTime;
		}

		public void setServerViewCacheTime(Duration serverViewCacheTime) {
			this.serverViewCacheTime = serverViewCacheTime;
		}

		public Duration getServerViewTimeout() {
			return this.serverViewTimeout;
		}

		public void setServerViewTimeout(Duration serverViewTimeout) {
			this.serverViewTimeout = serverViewTimeout;
		}

	}

	/** A read replica for read-only transactions. */
	public static class Replica {

		/** Replica URL; unset sends all work to the primary. */
		private @Nullable String url;

		/** Whether read-only work falls back to the primary when the replica is down. */
		private boolean fallbackToPrimary = true;

		/**
		 * How long read-only work goes straight to the primary after the replica failed,
		 * before the replica is tried again.
		 */
		private Duration retryInterval = Duration.ofSeconds(10);

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

		public boolean isFallbackToPrimary() {
			return this.fallbackToPrimary;
		}

		public void setFallbackToPrimary(boolean fallbackToPrimary) {
			this.fallbackToPrimary = fallbackToPrimary;
		}

		public Duration getRetryInterval() {
			return this.retryInterval;
		}

		public void setRetryInterval(Duration retryInterval) {
			this.retryInterval = retryInterval;
		}

	}

}
