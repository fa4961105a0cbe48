package dev.dbpool.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of the database behind the pool, answered within the health timeout whatever the
 * state of the pool. The round trip is measured on one of the pool's own connections
 * ({@link DatabaseProbe}); a pool whose connections are all borrowed is reported UP with
 * {@code saturated: true} and a {@code busy} detail while they keep coming free, and DOWN
 * when none came free for longer than a statement may take, or the database refuses,
 * fails or does not answer in time. Details carry the pool counters and the leak
 * statistics; never the URL or the password.
 */
public final class PoolHealthIndicator implements HealthIndicator, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(PoolHealthIndicator.class);

	private final HikariDataSource pool;

	private final SingleFlightProbe probe;

	private final @Nullable AutoCloseable probeResources;

	private final ConnectionLeakStatistics leaks;

	private final Clock clock;

	private volatile @Nullable Instant lastAnswer;

	private volatile Status lastStatus = Status.UNKNOWN;

	/**
	 * Create an indicator that probes the pool's database on a connection of its own.
	 * @param pool the application pool
	 * @param timeout longest time a health check takes
	 * @param leaks leak statistics to show in the details
	 */
	public PoolHealthIndicator(HikariDataSource pool, Duration timeout, ConnectionLeakStatistics leaks) {
		this(pool, new DatabaseProbe(pool, timeout), timeout, leaks, Clock.systemUTC());
	}

	private PoolHealthIndicator(HikariDataSource pool, DatabaseProbe databaseProbe, Duration timeout,
			ConnectionLeakStatistics leaks, Clock clock) {
		this(pool, databaseProbe::probe, databaseProbe, timeout, leaks, clock);
	}

	PoolHealthIndicator(HikariDataSource pool, Supplier<ProbeResult> probe, @Nullable AutoCloseable probeResources,
			Duration timeout, ConnectionLeakStatistics leaks, Clock clock) {
		this.pool = pool;
		this.probe = new SingleFlightProbe(probe, timeout, "dbpool-health-probe");
		this.probeResources = probeResources;
		this.leaks = leaks;
		this.clock = clock;
	}

	/**
	 * Run a first probe in the background, so that the first readiness check does not pay
	 * for warming up the driver.
	 */
	public void prime() {
		this.probe.prime();
	}

	@Override
	public Health health() {
		if (this.pool.isClosed()) {
			return record(Health.outOfService()
				.withDetail("reason", "connection pool is closed")
				.withDetail("pool", PoolStatistics.of(this.pool).toMap())
				.build(), null);
		}
		ProbeResult result = this.probe.run();
		// Read after the probe so that the counters describe the moment of the answer.
		PoolStatistics statistics = PoolStatistics.of(this.pool);
		Health.Builder builder;
		if (result.answered()) {
			this.lastAnswer = this.clock.instant();
			builder = Health.up().withDetail("latencyMs", result.latencyMillis());
		}
		else if (result.serving()) {
			// Answered from the pool's state: it serves, and the probe opens nothing of
			// its own beyond the connection limit.
			builder = Health.up().withDetail("busy", String.valueOf(result.reason()));
		}
		else {
			builder = Health.down();
			if (result.sqlState() != null) {
				builder.withDetail("sqlState", result.sqlState());
			}
			builder.withDetail("reason", String.valueOf(result.reason()));
			Instant answeredAt = this.lastAnswer;
			if (answeredAt != null) {
				builder.withDetail("lastAnsweredAt", answeredAt.toString());
			}
		}
		builder.withDetail("saturated", statistics.saturated())
			.withDetail("pool", statistics.toMap())
			.withDetail(ConnectionLeakStatistics.SECTION, this.leaks.healthDetails());
		return record(builder.build(), result);
	}

	private Health record(Health health, @Nullable ProbeResult result) {
		Status previous = this.lastStatus;
		this.lastStatus = health.getStatus();
		if (previous.equals(health.getStatus())) {
			return health;
		}
		if (Status.UP.equals(health.getStatus())) {
			if (!Status.UNKNOWN.equals(previous)) {
				logger.info("Database of pool '{}' answers again", PoolStatistics.nameOf(this.pool));
			}
		}
		else if (result != null) {
			logger.warn("Database of pool '{}' is {}: {}{}", PoolStatistics.nameOf(this.pool),
					health.getStatus().getCode(), result.reason(),
					(result.sqlState() != null) ? " (SQLSTATE " + result.sqlState() + ")" : "");
		}
		return health;
	}

	@Override
	public void close() throws Exception {
		this.probe.close();
		if (this.probeResources != null) {
			this.probeResources.close();
		}
	}

}
