package dev.dbpool.observe;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

/**
 * What surrounds each statement execution and each connection acquisition. Chosen once,
 * when the pool is built: {@link TimedInstrumentation} alone, or wrapped in Micrometer
 * Observations when an {@code ObservationRegistry} with handlers is present.
 */
interface Instrumentation {

	/**
	 * Run one execute call.
	 * @param observer the observer of the statement's connection
	 * @param statement the driver's statement
	 * @param sql the SQL it runs
	 * @param shape its shape
	 * @param parameters captured bind parameters, {@code null} when capture is off
	 * @param call the call itself
	 * @return what the call returned
	 * @throws SQLException what the call threw
	 */
	<S, T> T execute(QueryObserver observer, S statement, String sql, StatementShape shape,
			@Nullable ParameterValues parameters, StatementCall<S, T> call) throws SQLException;

	/**
	 * Take a connection from the pool.
	 * @param pool the pool
	 * @param call how
	 * @return the pool's connection
	 * @throws SQLException what the pool threw
	 */
	Connection acquire(DataSource pool, ConnectionCall call) throws SQLException;

}
