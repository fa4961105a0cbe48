package dev.dbpool.benchmark;

import java.sql.SQLException;

import javax.sql.DataSource;

/** A variant that borrows a connection from a DataSource for every operation. */
final class DataSourceVariant implements Variant {

	private final String label;

	private final DataSource dataSource;

	private final AutoCloseable resource;

	DataSourceVariant(String label, DataSource dataSource, AutoCloseable resource) {
		this.label = label;
		this.dataSource = dataSource;
		this.resource = resource;
	}

	@Override
	public String label() {
		return this.label;
	}

	@Override
	public void run(Operation operation) throws SQLException {
		switch (operation) {
			case SELECT -> Workload.select(this.dataSource);
			case INSERT -> Workload.insert(this.dataSource);
		}
	}

	@Override
	public void close() throws Exception {
		this.resource.close();
	}

}
