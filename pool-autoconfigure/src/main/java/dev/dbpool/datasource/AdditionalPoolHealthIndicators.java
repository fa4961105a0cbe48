package dev.dbpool.datasource;

import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.health.ConnectionLeakStatistics;
import dev.dbpool.health.PoolHealthIndicator;

/**
 * Health indicators of the additional pools, checked like the primary's. Apart from
 * {@link AdditionalPools} so that nothing of Spring Boot's health module is loaded
 * without it on the classpath.
 */
final class AdditionalPoolHealthIndicators {

	private AdditionalPoolHealthIndicators() {
	}

	/**
	 * The health indicator of one additional pool.
	 * @param dataSource the pool's DataSource bean
	 * @param pools the additional pools, for the health timeout
	 * @return the indicator, primed with a first check
	 */
	static PoolHealthIndicator create(DataSource dataSource, AdditionalPools pools) {
		HikariDataSource pool = PoolDataSourceFactory.pool(dataSource);
		PoolHealthIndicator indicator = new PoolHealthIndicator(pool, pools.healthTimeout(),
				new ConnectionLeakStatistics(Duration.ofMillis(pool.getLeakDetectionThreshold()), Clock.systemUTC()));
		indicator.prime();
		return indicator;
	}

}
