package dev.dbpool.observe;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/** One way of taking a connection from the pool, for {@link Instrumentation#acquire}. */
@FunctionalInterface
interface ConnectionCall {

	Connection acquire(DataSource pool) throws SQLException;

}
