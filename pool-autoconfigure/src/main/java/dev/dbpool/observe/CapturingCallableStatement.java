package dev.dbpool.observe;

import java.sql.CallableStatement;
import java.sql.SQLException;

/**
 * An {@link ObservedCallableStatement} that records its bind parameters, by position and
 * by name, for the slow-query log. Chosen when the call is prepared, only while capture
 * is on.
 */
final class CapturingCallableStatement extends ObservedCallableStatement implements CallableParameterCapture {

	private final ParameterValues captured;

	CapturingCallableStatement(CallableStatement delegate, String sql, ObservedConnection connection) {
		this(delegate, sql, connection, new ParameterValues());
	}

	private CapturingCallableStatement(CallableStatement delegate, String sql, ObservedConnection connection,
			ParameterValues captured) {
		super(delegate, sql, connection, captured);
		this.captured = captured;
	}

	@Override
	public ParameterValues parameters() {
		return this.captured;
	}

	@Override
	public void clearParameters() throws SQLException {
		delegate().clearParameters();
		this.captured.clear();
	}

}
