package dev.dbpool.observe;

import java.sql.SQLException;

/**
 * One JDBC execute call, written as a non-capturing lambda or method reference so that
 * passing it to {@link Instrumentation#execute} allocates nothing.
 *
 * @param <S> the statement type
 * @param <T> what the call returns
 */
@FunctionalInterface
interface StatementCall<S, T> {

	T call(S statement, String sql) throws SQLException;

}
