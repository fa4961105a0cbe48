package dev.dbpool.health;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

/**
 * A point-in-time view of the pool, read from HikariCP's counters without borrowing a
 * connection.
 *
 * @param name pool name
 * @param active connections borrowed by the application
 * @param idle connections waiting in the pool
 * @param total connections open, active and idle
 * @param limit maximum pool size
 * @param waiting threads waiting for a connection
 */
public record PoolStatistics(String name, int active, int idle, int total, int limit, int waiting) {

	/**
	 * Read the current counters; a pool that has not started yet (HikariCP starts on the
	 * first borrow) reports zeros.
	 * @param pool the pool
	 * @return the statistics
	 */
	public static PoolStatistics of(HikariDataSource pool) {
		HikariPoolMXBean counters = pool.getHikariPoolMXBean();
		String name = nameOf(pool);
		if (counters == null) {
			return new PoolStatistics(name, 0, 0, 0, pool.getMaximumPoolSize(), 0);
		}
		return new PoolStatistics(name, counters.getActiveConnections(), counters.getIdleConnections(),
				counters.getTotalConnections(), pool.getMaximumPoolSize(), counters.getThreadsAwaitingConnection());
	}

	/**
	 * Name of a pool; HikariCP names an unnamed pool only when it starts.
	 * @param pool the pool
	 * @return the name, or {@code "unnamed"}
	 */
	public static String nameOf(HikariDataSource pool) {
		String name = pool.getPoolName();
		return (name != null) ? name : "unnamed";
	}

	/**
	 * Share of the limit that is borrowed, in percent with two decimals.
	 * @return the utilization
	 */
	public double utilization() {
		if (this.limit <= 0) {
			return 0.0;
		}
		return BigDecimal.valueOf(this.active * 100.0 / this.limit).setScale(2, RoundingMode.HALF_UP).doubleValue();
	}

	/**
	 * Whether every connection the pool may open is borrowed or callers are already
	 * queueing for one.
	 * @return whether the pool is saturated
	 */
	public boolean saturated() {
		return (this.limit > 0 && this.active >= this.limit) || this.waiting > 0;
	}

	/**
	 * The statistics as shown in health details and the snapshot.
	 * @return an ordered map
	 */
	public Map<String, Object> toMap() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("name", this.name);
		map.put("active", this.active);
		map.put("idle", this.idle);
		map.put("total", this.total);
		map.put("limit", this.limit);
		map.put("waiting", this.waiting);
		map.put("utilization", utilization());
		return map;
	}

}
