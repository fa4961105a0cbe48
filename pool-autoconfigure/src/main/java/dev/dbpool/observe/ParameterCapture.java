package dev.dbpool.observe;

import java.sql.CallableStatement;
import java.sql.PreparedStatement;

/**
 * Whether prepared statements record their bind parameters, as the choice of class made
 * when each statement is prepared. Decided once, when the pool is built.
 */
enum ParameterCapture {

	/** Plain statements: setters are pure forwards. */
	OFF {

		@Override
		ObservedPreparedStatement prepared(PreparedStatement delegate, String sql, ObservedConnection connection) {
			return new ObservedPreparedStatement(delegate, sql, connection, null);
		}

		@Override
		ObservedCallableStatement callable(CallableStatement delegate, String sql, ObservedConnection connection) {
			return new ObservedCallableStatement(delegate, sql, connection, null);
		}

	},

	/** Capturing statements, for the slow-query log's parameter display. */
	ON {

		@Override
		ObservedPreparedStatement prepared(PreparedStatement delegate, String sql, ObservedConnection connection) {
			return new CapturingPreparedStatement(delegate, sql, connection);
		}

		@Override
		ObservedCallableStatement callable(CallableStatement delegate, String sql, ObservedConnection connection) {
			return new CapturingCallableStatement(delegate, sql, connection);
		}

	};

	abstract ObservedPreparedStatement prepared(PreparedStatement delegate, String sql, ObservedConnection connection);

	abstract ObservedCallableStatement callable(CallableStatement delegate, String sql, ObservedConnection connection);

	static ParameterCapture of(boolean enabled) {
		return enabled ? ON : OFF;
	}

}
