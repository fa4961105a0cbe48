package dev.dbpool.sample.order;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL for retailers and orders, through {@link JdbcClient} on the starter's pool. Callers
 * own the transactions.
 */
@Repository
public class OrderRepository {

	private static final String ORDER_COLUMNS = "id, retailer_id, amount, currency, status, reference, created_at";

	private static final RowMapper<Order> ORDER = OrderRepository::order;

	private static final RowMapper<Retailer> RETAILER = (rs, row) -> new Retailer(rs.getLong("id"),
			rs.getString("code"), rs.getString("name"), rs.getString("email"), rs.getInt("total_orders"),
			rs.getObject("created_at", OffsetDateTime.class));

	private final JdbcClient jdbc;

	public OrderRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Retailers by id, at most {@code limit} of them. */
	public List<Retailer> findRetailers(int limit) {
		return this.jdbc
			.sql("SELECT id, code, name, email, total_orders, created_at FROM retailers ORDER BY id LIMIT :limit")
			.param("limit", limit)
			.query(RETAILER)
			.list();
	}

	public Optional<Order> findOrder(long id) {
		return this.jdbc.sql("SELECT " + ORDER_COLUMNS + " FROM orders WHERE id = :id")
			.param("id", id)
			.query(ORDER)
			.optional();
	}

	/** Orders newest first, skipping {@code offset}, at most {@code limit}. */
	public List<Order> findNewestOrders(int offset, int limit) {
		return this.jdbc
			.sql("SELECT " + ORDER_COLUMNS
					+ " FROM orders ORDER BY created_at DESC, id DESC OFFSET :offset LIMIT :limit")
			.param("offset", offset)
			.param("limit", limit)
			.query(ORDER)
			.list();
	}

	/**
	 * Add one to a retailer's order count, locking its row until the transaction ends.
	 * @return false when no retailer has the id
	 */
	public boolean incrementTotalOrders(long retailerId) {
		return this.jdbc.sql("UPDATE retailers SET total_orders = total_orders + 1 WHERE id = :id")
			.param("id", retailerId)
			.update() == 1;
	}

	public Order insert(NewOrder order) {
		return this.jdbc
			.sql("INSERT INTO orders (retailer_id, amount, currency, reference) "
					+ "VALUES (:retailerId, :amount, :currency, :reference) RETURNING " + ORDER_COLUMNS)
			.param("retailerId", order.retailerId())
			.param("amount", order.amount())
			.param("currency", order.currency())
			.param("reference", order.reference(), Types.VARCHAR)
			.query(ORDER)
			.single();
	}

	private static Order order(ResultSet rs, int row) throws SQLException {
		BigDecimal amount = rs.getBigDecimal("amount");
		return new Order(rs.getLong("id"), rs.getLong("retailer_id"), amount, rs.getString("currency"),
				rs.getString("status"), rs.getString("reference"), rs.getObject("created_at", OffsetDateTime.class));
	}

}
