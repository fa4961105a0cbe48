package dev.dbpool.benchmark;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

/**
 * The two operations every variant runs, written once in plain JDBC so that the variants
 * differ only in where the connection comes from: a single-row primary-key select and a
 * small insert transaction.
 */
public final class Workload {

	static final int ROWS = 10_000;

	static final String SELECT = "SELECT id, name, quantity FROM bench_item WHERE id = ?";

	static final String INSERT = "INSERT INTO bench_order (item_id, quantity) VALUES (?, ?)";

	private Workload() {
	}

	/** Create the tables and rows the operations use. */
	static void prepare(DataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection(); var statement = connection.createStatement()) {
			statement.execute("DROP TABLE IF EXISTS bench_order");
			statement.execute("DROP TABLE IF EXISTS bench_item");
			statement
				.execute("CREATE TABLE bench_item (id int PRIMARY KEY, name text NOT NULL, quantity int NOT NULL)");
			statement.execute(
					"INSERT INTO bench_item SELECT g, 'item-' || g, g % 100 FROM generate_series(1, " + ROWS + ") g");
			statement.execute("CREATE TABLE bench_order (id bigserial PRIMARY KEY, item_id int NOT NULL, "
					+ "quantity int NOT NULL, created_at timestamptz NOT NULL DEFAULT now())");
			statement.execute("VACUUM ANALYZE bench_item");
		}
	}

	/** Select one row by primary key on the given connection. */
	static int select(Connection connection) throws SQLException {
		int id = ThreadLocalRandom.current().nextInt(1, ROWS + 1);
		try (PreparedStatement statement = connection.prepareStatement(SELECT)) {
			statement.setInt(1, id);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getInt(3);
			}
		}
	}

	/** Insert one row in its own transaction on the given connection. */
	static void insert(Connection connection) throws SQLException {
		boolean autoCommit = connection.getAutoCommit();
		connection.setAutoCommit(false);
		try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
			statement.setInt(1, ThreadLocalRandom.current().nextInt(1, ROWS + 1));
			statement.setInt(2, 1);
			statement.executeUpdate();
			connection.commit();
		}
		catch (SQLException ex) {
			connection.rollback();
			throw ex;
		}
		finally {
			connection.setAutoCommit(autoCommit);
		}
	}

	/** Borrow, select, return. */
	static int select(DataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			return select(connection);
		}
	}

	/** Borrow, insert in a transaction, return. */
	static void insert(DataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			insert(connection);
		}
	}

}
