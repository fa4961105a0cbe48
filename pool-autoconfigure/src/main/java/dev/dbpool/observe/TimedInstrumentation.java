package dev.dbpool.observe;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

/**
 * The one timed execute block: measures the call and reports it to the
 * {@link QueryObserver}. Connections are taken from the pool untouched.
 */
final class TimedInstrumentation implements Instrumentation {

	static final TimedInstrumentation INSTANCE = new TimedInstrumentation();

	private TimedInstrumentation() {
	}

	@Override
	public <S, T> T execute(QueryObserver observer, S statement, String sql, StatementShape shape,
			@Nullable ParameterValues parameters, StatementCall<S, T> call) throws SQLException {
		T result;
		long start = System.nanoTime();
		try {
			result = call.call(statement, sql);
		}
		catch (SQLException | RuntimeException | Error ex) {
			observer.failed(shape, sql, System.nanoTime() - start, ex, parameters);
			throw ex;
		}
		observer.succeeded(shape, sql, System.nanoTime() - start, parameters);
		return result;
	}

	@Override
	public Connection acquire(DataSource pool, ConnectionCall call) throws SQLException {
		return call.acquire(pool);
	}

}
