package dev.dbpool.benchmark;

import java.sql.SQLException;

import javax.sql.DataSource;

import dev.dbpool.retry.RetryOnTransientFailure;

/**
 * The workload as an application bean would run it, on the starter's DataSource, through
 * the retry advisor.
 */
@RetryOnTransientFailure
public class BenchmarkQueries {

	private final DataSource dataSource;

	public BenchmarkQueries(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	public int select() throws SQLException {
		return Workload.select(this.dataSource);
	}

	public void insert() throws SQLException {
		Workload.insert(this.dataSource);
	}

	/** No database at all: what calling through the retry advisor costs by itself. */
	public int compute(int value) {
		return value * 31 + 7;
	}

}
