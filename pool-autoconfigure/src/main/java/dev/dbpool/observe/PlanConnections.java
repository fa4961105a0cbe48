package dev.dbpool.observe;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.logging.Logger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool;
import dev.dbpool.common.ConnectionAllowance;
import org.jspecify.annotations.Nullable;

/**
 * The connection of one EXPLAIN, always within the pool's connection limit and never kept
 * between plans: a fresh connection when a permit of the pool's
 * {@link ConnectionAllowance} is free, else a connection of the pool itself that is idle
 * while no caller waits, taken without waiting (borrowed past any observation, so EXPLAIN
 * is not observed). With neither, the plan is skipped: {@link SlowQueryPlans} counts it
 * and tries again on the next slow run.
 */
final class PlanConnections implements DataSource {

	static final String PURPOSE = "plan";

	private final HikariDataSource pool;

	private final @Nullable ConnectionAllowance allowance;

	PlanConnections(HikariDataSource pool) {
		this.pool = pool;
		this.allowance = ConnectionAllowance.of(pool);
	}

	@Override
	public Connection getConnection() throws SQLException {
		if (this.allowance != null) {
			Connection fresh = this.allowance.trySideConnection(PURPOSE, Duration.ZERO);
			if (fresh != null) {
				return fresh;
			}
		}
		HikariPoolMXBean state = this.pool.getHikariPoolMXBean();
		// Only an idle connection while no caller waits, taken without waiting: a plan
		// never queues beside the application's callers, so it never gets a connection
		// one of them was waiting for.
		if (state instanceof HikariPool connections && !this.pool.isClosed() && state.getIdleConnections() > 0
				&& state.getThreadsAwaitingConnection() == 0) {
			try {
				return connections.getConnection(0);
			}
			catch (SQLTransientConnectionException ex) {
				// A caller took the idle connection first.
			}
		}
		if (this.allowance != null) {
			this.allowance.decline(PURPOSE);
		}
		throw new SQLTransientConnectionException(
				"plan skipped: the pool holds every connection of its limit and none is idle");
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		throw new SQLFeatureNotSupportedException("plan connections use the pool's credentials");
	}

	@Override
	public @Nullable PrintWriter getLogWriter() {
		return null;
	}

	@Override
	public void setLogWriter(PrintWriter out) {
	}

	@Override
	public void setLoginTimeout(int seconds) {
	}

	@Override
	public int getLoginTimeout() {
		return 0;
	}

	@Override
	public Logger getParentLogger() throws SQLFeatureNotSupportedException {
		throw new SQLFeatureNotSupportedException();
	}

	@Override
	public <T> T unwrap(Class<T> iface) throws SQLException {
		if (iface.isInstance(this)) {
			return iface.cast(this);
		}
		throw new SQLException(getClass().getName() + " does not wrap " + iface.getName());
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) {
		return iface.isInstance(this);
	}

}
