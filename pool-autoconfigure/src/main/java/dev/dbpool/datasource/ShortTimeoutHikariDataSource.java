package dev.dbpool.datasource;

import java.sql.Connection;
import java.sql.SQLException;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool;

/**
 * A HikariCP pool whose pool timeout is below HikariCP's 250 ms floor (HikariCP would
 * replace it with 30 s). The pool is configured with the floor, and each borrow waits for
 * a free connection at most the configured pool timeout, through the pool's own timed
 * borrow. As on any HikariCP pool, a connection that was idle for more than 500 ms is
 * checked before it is handed out, bounded by the validation timeout (at least 250 ms),
 * so a borrow that meets a dead connection can take that much longer. Built only for such
 * timeouts, so other pools keep HikariCP's borrow path untouched; the pool timeout is
 * fixed at startup (changing {@code connectionTimeout} through JMX does not change it).
 */
final class ShortTimeoutHikariDataSource extends HikariDataSource {

	private final long poolTimeoutMillis;

	ShortTimeoutHikariDataSource(HikariConfig config, long poolTimeoutMillis) {
		super(config);
		this.poolTimeoutMillis = poolTimeoutMillis;
	}

	/** The configured pool timeout; {@link #getConnectionTimeout()} shows the floor. */
	long poolTimeoutMillis() {
		return this.poolTimeoutMillis;
	}

	@Override
	public Connection getConnection() throws SQLException {
		HikariPoolMXBean pool = getHikariPoolMXBean();
		if (pool instanceof HikariPool hikariPool && !isClosed()) {
			return hikariPool.getConnection(this.poolTimeoutMillis);
		}
		return super.getConnection();
	}

}
