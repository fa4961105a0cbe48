package dev.dbpool.observe;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Each statement execution and each connection acquisition as a Micrometer Observation
 * ({@link JdbcObservationDocumentation}), around the timed block of
 * {@link TimedInstrumentation}. Only built when the registry has handlers.
 */
final class ObservationInstrumentation implements Instrumentation {

	private final Instrumentation timed;

	private final ObservationRegistry registry;

	private final String dataSourceName;

	private final @Nullable QueryObservationConvention queryConvention;

	private final @Nullable ConnectionObservationConvention connectionConvention;

	ObservationInstrumentation(Instrumentation timed, ObservationRegistry registry, String dataSourceName,
			@Nullable QueryObservationConvention queryConvention,
			@Nullable ConnectionObservationConvention connectionConvention) {
		this.timed = timed;
		this.registry = registry;
		this.dataSourceName = dataSourceName;
		this.queryConvention = queryConvention;
		this.connectionConvention = connectionConvention;
	}

	@Override
	public <S, T> T execute(QueryObserver observer, S statement, String sql, StatementShape shape,
			@Nullable ParameterValues parameters, StatementCall<S, T> call) throws SQLException {
		QueryObservationContext context = new QueryObservationContext(this.dataSourceName, shape);
		Observation observation = JdbcObservationDocumentation.QUERY
			.observation(this.queryConvention, DefaultQueryObservationConvention.INSTANCE, () -> context, this.registry)
			.start();
		try (Observation.Scope scope = observation.openScope()) {
			return this.timed.execute(observer, statement, sql, shape, parameters, call);
		}
		catch (SQLException | RuntimeException | Error ex) {
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	@Override
	public Connection acquire(DataSource pool, ConnectionCall call) throws SQLException {
		ConnectionObservationContext context = new ConnectionObservationContext(this.dataSourceName);
		Observation observation = JdbcObservationDocumentation.CONNECTION
			.observation(this.connectionConvention, DefaultConnectionObservationConvention.INSTANCE, () -> context,
					this.registry)
			.start();
		try (Observation.Scope scope = observation.openScope()) {
			return this.timed.acquire(pool, call);
		}
		catch (SQLException | RuntimeException | Error ex) {
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

}
