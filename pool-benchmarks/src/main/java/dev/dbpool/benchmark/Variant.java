package dev.dbpool.benchmark;

import java.sql.SQLException;

/** One way of running the workload, as measured side by side. */
interface Variant extends AutoCloseable {

	/** Short label used in tables, such as {@code (a) raw HikariCP}. */
	String label();

	/** Run the operation once on the calling thread. */
	void run(Operation operation) throws SQLException;

	@Override
	default void close() throws Exception {
	}

	/** The two operations of the workload. */
	enum Operation {

		SELECT("single-row PK select"), INSERT("insert transaction");

		private final String description;

		Operation(String description) {
			this.description = description;
		}

		String description() {
			return this.description;
		}

	}

}
