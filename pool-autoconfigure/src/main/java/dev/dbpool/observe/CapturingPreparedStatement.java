package dev.dbpool.observe;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * An {@link ObservedPreparedStatement} that records its bind parameters for the
 * slow-query log. Chosen when the statement is prepared, only while capture is on, so the
 * plain statement's setters carry no check.
 */
final class CapturingPreparedStatement extends ObservedPreparedStatement implements PreparedParameterCapture {

	private final ParameterValues captured;

	CapturingPreparedStatement(PreparedStatement delegate, String sql, ObservedConnection connection) {
		this(delegate, sql, connection, new ParameterValues());
	}

	private CapturingPreparedStatement(PreparedStatement delegate, String sql, ObservedConnection connection,
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
