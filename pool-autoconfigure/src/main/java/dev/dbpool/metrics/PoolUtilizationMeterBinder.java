package dev.dbpool.metrics;

import java.util.Map;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.dbpool.common.HikariPools;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Registers {@value QueryMetrics#POOL_UTILIZATION} for every Hikari pool: connections in
 * use over the maximum pool size. Boot's {@code hikaricp.*} meters give the raw counts;
 * this is the ratio that alerts are written against.
 */
final class PoolUtilizationMeterBinder implements MeterBinder {

	private final Supplier<Map<String, DataSource>> dataSources;

	PoolUtilizationMeterBinder(Supplier<Map<String, DataSource>> dataSources) {
		this.dataSources = dataSources;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.dataSources.get().forEach((beanName, dataSource) -> {
			HikariDataSource hikari = HikariPools.find(dataSource);
			if (hikari != null) {
				String poolName = (hikari.getPoolName() != null) ? hikari.getPoolName() : beanName;
				Gauge.builder(QueryMetrics.POOL_UTILIZATION, hikari, PoolUtilizationMeterBinder::utilization)
					.description("Connections in use over the maximum pool size, from 0 to 1")
					.tag(QueryMetrics.TAG_POOL, poolName)
					.register(registry);
			}
		});
	}

	static double utilization(HikariDataSource hikari) {
		HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
		int limit = hikari.getMaximumPoolSize();
		if (pool == null || limit <= 0) {
			return 0.0;
		}
		return pool.getActiveConnections() / (double) limit;
	}

}
