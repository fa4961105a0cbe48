package dev.dbpool.benchmark;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import javax.sql.DataSource;

/**
 * One connection per thread, opened on first use and kept: no pool at all, the ceiling
 * any pool can approach.
 */
final class DedicatedConnectionVariant implements Variant {

	private final DataSource connections;

	private final Queue<Connection> opened = new ConcurrentLinkedQueue<>();

	private final ThreadLocal<Connection> connection = new ThreadLocal<>();

	DedicatedConnectionVariant(DataSource connections) {
		this.connections = connections;
	}

	@Override
	public String label() {
		return "(d) dedicated connection";
	}

	@Override
	public void run(Operation operation) throws SQLException {
		Connection current = this.connection.get();
		if (current == null) {
			current = this.connections.getConnection();
			this.opened.add(current);
			this.connection.set(current);
		}
		switch (operation) {
			case SELECT -> Workload.select(current);
			case INSERT -> Workload.insert(current);
		}
	}

	@Override
	public void close() throws SQLException {
		for (Connection each : this.opened) {
			each.close();
		}
		this.opened.clear();
	}

}
