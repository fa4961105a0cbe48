package dev.dbpool.sample.loadtest;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

/**
 * The statements the virtual users run, on the sample's own retailers and orders tables,
 * and the data they need: {@value #RETAILERS} retailers with codes {@code loadtest-NNN}
 * and about {@value #ORDERS_PER_RETAILER} orders each, created once and reused.
 */
public final class LoadTestWorkload {

	static final int RETAILERS = 50;

	static final int ORDERS_PER_RETAILER = 200;

	static final String SIMPLE_SQL = "SELECT id, name, total_orders FROM retailers WHERE id = ?";

	/**
	 * Top retailers by revenue among the latest orders: a join, an aggregation and two
	 * sorts, over a window of constant size so that its cost does not grow as the writes
	 * of mixed runs add orders.
	 */
	static final String COMPLEX_SQL = """
			SELECT r.id, r.name, count(*) AS orders, sum(o.amount) AS revenue, avg(o.amount) AS average,
			       max(o.created_at) AS latest
			FROM (SELECT retailer_id, amount, created_at FROM orders ORDER BY created_at DESC, id DESC LIMIT 2000) o
			JOIN retailers r ON r.id = o.retailer_id
			GROUP BY r.id, r.name
			ORDER BY revenue DESC
			LIMIT 10""";

	static final String COUNT_ORDER_SQL = "UPDATE retailers SET total_orders = total_orders + 1 WHERE id = ?";

	static final String INSERT_ORDER_SQL = "INSERT INTO orders (retailer_id, amount, status) VALUES (?, ?, 'PENDING')";

	private static final String CREATE_RETAILERS_SQL = """
			INSERT INTO retailers (code, name)
			SELECT 'loadtest-' || lpad(g::text, 3, '0'), 'Load test retailer ' || g FROM generate_series(1, ?) g
			ON CONFLICT (code) DO NOTHING""";

	private static final String COUNT_ORDERS_SQL = """
			SELECT count(*) FROM orders o JOIN retailers r ON r.id = o.retailer_id WHERE r.code LIKE 'loadtest-%'""";

	private static final String CREATE_ORDERS_SQL = """
			WITH inserted AS (
			    INSERT INTO orders (retailer_id, amount, status, created_at)
			    SELECT r.id, round((1 + random() * 499)::numeric, 2),
			           (ARRAY['PENDING', 'SHIPPED', 'DELIVERED'])[1 + g % 3], now() - random() * interval '60 days'
			    FROM retailers r CROSS JOIN generate_series(1, ?) g
			    WHERE r.code LIKE 'loadtest-%'
			    RETURNING retailer_id
			)
			UPDATE retailers r SET total_orders = r.total_orders + i.added
			FROM (SELECT retailer_id, count(*) AS added FROM inserted GROUP BY retailer_id) i
			WHERE r.id = i.retailer_id""";

	private final long[] retailerIds;

	private LoadTestWorkload(long[] retailerIds) {
		this.retailerIds = retailerIds;
	}

	/**
	 * Create the load-test retailers and orders unless they exist, and load their ids.
	 * The tables themselves come from the sample's schema.sql.
	 * @param dataSource where to create them
	 * @return the workload
	 * @throws SQLException when the database refuses
	 */
	public static LoadTestWorkload prepare(DataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			try (PreparedStatement statement = connection.prepareStatement(CREATE_RETAILERS_SQL)) {
				statement.setInt(1, RETAILERS);
				statement.executeUpdate();
			}
			long orders;
			try (PreparedStatement statement = connection.prepareStatement(COUNT_ORDERS_SQL);
					ResultSet rs = statement.executeQuery()) {
				rs.next();
				orders = rs.getLong(1);
			}
			long wanted = (long) RETAILERS * ORDERS_PER_RETAILER;
			if (orders < wanted) {
				try (PreparedStatement statement = connection.prepareStatement(CREATE_ORDERS_SQL)) {
					statement.setLong(1, (wanted - orders + RETAILERS - 1) / RETAILERS);
					statement.executeUpdate();
				}
				try (var statement = connection.createStatement()) {
					statement.execute("ANALYZE retailers, orders");
				}
			}
			List<Long> ids = new ArrayList<>();
			try (PreparedStatement statement = connection
				.prepareStatement("SELECT id FROM retailers WHERE code LIKE 'loadtest-%' ORDER BY id");
					ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					ids.add(rs.getLong(1));
				}
			}
			return new LoadTestWorkload(ids.stream().mapToLong(Long::longValue).toArray());
		}
	}

	/**
	 * Run one unit of work of the given type on a borrowed connection.
	 * @param connection the connection, in autocommit mode
	 * @param type what to run
	 * @param random this thread's random source
	 * @throws SQLException when a statement fails
	 */
	public void execute(Connection connection, QueryType type, ThreadLocalRandom random) throws SQLException {
		switch (type) {
			case SIMPLE -> selectRetailer(connection, random);
			case COMPLEX -> topRetailers(connection);
			case MIXED -> {
				int dice = random.nextInt(100);
				if (dice < 70) {
					selectRetailer(connection, random);
				}
				else if (dice < 90) {
					topRetailers(connection);
				}
				else {
					placeOrder(connection, random);
				}
			}
		}
	}

	private void selectRetailer(Connection connection, ThreadLocalRandom random) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(SIMPLE_SQL)) {
			statement.setLong(1, randomRetailer(random));
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					rs.getString(2);
				}
			}
		}
	}

	private static void topRetailers(Connection connection) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(COMPLEX_SQL);
				ResultSet rs = statement.executeQuery()) {
			while (rs.next()) {
				rs.getBigDecimal(4);
			}
		}
	}

	private void placeOrder(Connection connection, ThreadLocalRandom random) throws SQLException {
		long retailer = randomRetailer(random);
		connection.setAutoCommit(false);
		try {
			try (PreparedStatement count = connection.prepareStatement(COUNT_ORDER_SQL)) {
				count.setLong(1, retailer);
				count.executeUpdate();
			}
			try (PreparedStatement insert = connection.prepareStatement(INSERT_ORDER_SQL)) {
				insert.setLong(1, retailer);
				insert.setBigDecimal(2, BigDecimal.valueOf(100 + random.nextInt(50_000), 2));
				insert.executeUpdate();
			}
			connection.commit();
		}
		catch (SQLException ex) {
			try {
				connection.rollback();
			}
			catch (SQLException rollbackFailure) {
				ex.addSuppressed(rollbackFailure);
			}
			throw ex;
		}
		finally {
			connection.setAutoCommit(true);
		}
	}

	private long randomRetailer(ThreadLocalRandom random) {
		return this.retailerIds[random.nextInt(this.retailerIds.length)];
	}

}
