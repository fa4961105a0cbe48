package dev.dbpool.observe;

import java.sql.CallableStatement;

import dev.dbpool.common.ForwardingCallableStatement;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CallableStatement}: observed like a prepared statement, every
 * callable-specific call forwarded by {@link ForwardingCallableStatement}.
 */
class ObservedCallableStatement extends ObservedPreparedStatement implements ForwardingCallableStatement {

	private final CallableStatement callableDelegate;

	ObservedCallableStatement(CallableStatement delegate, String sql, ObservedConnection connection,
			@Nullable ParameterValues parameters) {
		super(delegate, sql, connection, parameters);
		this.callableDelegate = delegate;
	}

	@Override
	public CallableStatement delegate() {
		return this.callableDelegate;
	}

}
