package dev.dbpool.datasource;

import com.zaxxer.hikari.HikariConfig;

/**
 * Adjusts the {@link HikariConfig} of a pool the starter builds, after the starter has
 * applied every setting and before the pool starts. Beans of this type are applied in
 * their {@code @Order}, to the primary pool, to a read replica's and to each
 * {@code db.pool.additional.<name>} pool (tell them apart by
 * {@link HikariConfig#getPoolName()}). A customizer that sets its own
 * {@link HikariConfig#setDataSource DataSource} takes over the connections: the starter's
 * per-transaction handling behind PgBouncer and its vanished-backend watchdog are then
 * left out.
 */
@FunctionalInterface
public interface HikariConfigCustomizer {

	/**
	 * Customize the configuration.
	 * @param config the configuration, with the starter's settings applied
	 */
	void customize(HikariConfig config);

}
