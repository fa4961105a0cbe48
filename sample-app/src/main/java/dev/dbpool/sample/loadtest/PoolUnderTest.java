package dev.dbpool.sample.loadtest;

import java.time.Duration;
import java.util.function.IntSupplier;

import javax.sql.DataSource;

/**
 * The pool the load test borrows from, and what the report says about it.
 *
 * @param dataSource the application's DataSource (the starter's pool, with whatever wraps
 * it)
 * @param database JDBC URL to show, without credentials or parameters
 * @param connectionLimit pool size
 * @param poolTimeout longest wait for a connection
 * @param slowQueryThreshold execution time from which a query counts as slow
 * @param activeConnections connections currently borrowed from the pool
 */
public record PoolUnderTest(DataSource dataSource, String database, int connectionLimit, Duration poolTimeout,
		Duration slowQueryThreshold, IntSupplier activeConnections) {

	/** A JDBC URL cut before its parameters, which may hold credentials. */
	static String withoutParameters(String jdbcUrl) {
		int query = jdbcUrl.indexOf('?');
		return (query < 0) ? jdbcUrl : jdbcUrl.substring(0, query);
	}

}
