package dev.dbpool.common;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.jdbc.DataSourceUnwrapper;

/**
 * How the HikariCP pool behind a DataSource is reached, through any wrapper (observation,
 * routing proxies) that unwraps to it; written once, called by every capability.
 */
public final class HikariPools {

	private HikariPools() {
	}

	/**
	 * The pool behind a DataSource, if there is one.
	 * @param dataSource the DataSource
	 * @return the pool, or null
	 */
	public static @Nullable HikariDataSource find(DataSource dataSource) {
		return DataSourceUnwrapper.unwrap(dataSource, HikariConfigMXBean.class, HikariDataSource.class);
	}

	/**
	 * The pool behind a DataSource.
	 * @param dataSource the DataSource
	 * @return the pool
	 * @throws IllegalStateException if no HikariCP pool is behind it
	 */
	public static HikariDataSource require(DataSource dataSource) {
		HikariDataSource pool = find(dataSource);
		if (pool == null) {
			throw new IllegalStateException(dataSource + " does not unwrap to a HikariDataSource");
		}
		return pool;
	}

}
