package dev.dbpool.benchmark;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.Transaction;
import org.hibernate.cfg.Configuration;

/**
 * The workloads people run, in plain JDBC (and Hibernate for the batch save), so that the
 * variants differ only in the DataSource: what its pool and driver settings make of them.
 */
enum RealWorkload {

	/** Borrow, select one row by primary key, return. */
	PK_SELECT("single-row PK select") {

		@Override
		void run(Target target) throws SQLException {
			Workload.select(target.dataSource());
		}

	},

	/**
	 * One transaction inserting 1,000 rows with {@code addBatch}/{@code executeBatch}.
	 */
	BATCH_INSERT("1,000-row batch insert") {

		@Override
		void run(Target target) throws SQLException {
			try (Connection connection = target.dataSource().getConnection()) {
				connection.setAutoCommit(false);
				try (PreparedStatement insert = connection
					.prepareStatement("INSERT INTO bench_batch (item_id, quantity, note) VALUES (?, ?, ?)")) {
					ThreadLocalRandom random = ThreadLocalRandom.current();
					for (int i = 0; i < BATCH_ROWS; i++) {
						insert.setInt(1, random.nextInt(1, Workload.ROWS + 1));
						insert.setInt(2, 1 + i % 5);
						insert.setString(3, "batch row " + i);
						insert.addBatch();
					}
					insert.executeBatch();
					connection.commit();
				}
				finally {
					connection.setAutoCommit(true);
				}
			}
		}

	},

	/**
	 * The seeds' load-test mix: 70% primary-key reads, 20% a join and aggregation over
	 * the latest 2,000 orders, 10% an order transaction (update and insert).
	 */
	MIXED("seeds' mixed workload (70/20/10)") {

		@Override
		void run(Target target) throws SQLException {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			int dice = random.nextInt(100);
			try (Connection connection = target.dataSource().getConnection()) {
				if (dice < 70) {
					Workload.select(connection);
				}
				else if (dice < 90) {
					topItems(connection);
				}
				else {
					placeOrder(connection, random);
				}
			}
		}

	},

	/** All 10,000 rows of a table read in a read-only transaction. */
	LARGE_READ("10,000-row result read") {

		@Override
		void run(Target target) throws SQLException {
			try (Connection connection = target.dataSource().getConnection()) {
				connection.setAutoCommit(false);
				connection.setReadOnly(true);
				long sum = 0;
				try (PreparedStatement select = connection
					.prepareStatement("SELECT id, name, quantity FROM bench_item ORDER BY id");
						ResultSet result = select.executeQuery()) {
					while (result.next()) {
						sum += result.getInt(1) + result.getString(2).length() + result.getInt(3);
					}
				}
				finally {
					connection.commit();
					connection.setReadOnly(false);
					connection.setAutoCommit(true);
				}
				if (sum == 0) {
					throw new IllegalStateException("bench_item is empty");
				}
			}
		}

	},

	/**
	 * Hibernate persisting 500 entities in one transaction,
	 * {@code hibernate.jdbc.batch_size=50}.
	 */
	HIBERNATE_BATCH("Hibernate batch save, 500 entities") {

		@Override
		void run(Target target) {
			try (Session session = target.sessionFactory().openSession()) {
				Transaction transaction = session.beginTransaction();
				ThreadLocalRandom random = ThreadLocalRandom.current();
				for (int i = 0; i < HIBERNATE_ENTITIES; i++) {
					session.persist(new BenchOrder(random.nextInt(1, Workload.ROWS + 1), 1 + i % 5));
				}
				transaction.commit();
			}
		}

	};

	static final int BATCH_ROWS = 1000;

	static final int HIBERNATE_ENTITIES = 500;

	static final int HIBERNATE_BATCH_SIZE = 50;

	private static final String TOP_ITEMS = """
			SELECT i.id, i.name, count(*) AS orders, sum(o.quantity) AS quantity
			FROM (SELECT item_id, quantity FROM bench_order ORDER BY id DESC LIMIT 2000) o
			JOIN bench_item i ON i.id = o.item_id
			GROUP BY i.id, i.name
			ORDER BY quantity DESC
			LIMIT 10""";

	private final String description;

	RealWorkload(String description) {
		this.description = description;
	}

	String description() {
		return this.description;
	}

	abstract void run(Target target) throws SQLException;

	/** Tables the workloads write, emptied before each comparison. */
	static void prepare(DataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection(); var statement = connection.createStatement()) {
			statement.execute("DROP TABLE IF EXISTS bench_batch");
			statement.execute("CREATE TABLE bench_batch (id bigserial PRIMARY KEY, item_id int NOT NULL, "
					+ "quantity int NOT NULL, note text NOT NULL)");
			statement.execute("DROP TABLE IF EXISTS bench_jpa_order");
			statement.execute("DROP SEQUENCE IF EXISTS bench_jpa_order_seq");
			statement.execute("CREATE SEQUENCE bench_jpa_order_seq INCREMENT BY 500");
			statement.execute("CREATE TABLE bench_jpa_order (id bigint PRIMARY KEY, item_id int NOT NULL, "
					+ "quantity int NOT NULL)");
			statement.execute("INSERT INTO bench_order (item_id, quantity) "
					+ "SELECT 1 + g % 10000, 1 + g % 7 FROM generate_series(1, 5000) g");
			statement.execute("ANALYZE bench_order");
		}
	}

	/** Empty the tables the writes fill, so that no comparison runs on a bigger table. */
	static void truncate(DataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection(); var statement = connection.createStatement()) {
			statement.execute("TRUNCATE bench_batch, bench_jpa_order");
		}
	}

	/** A Hibernate SessionFactory on a DataSource, with JDBC batching on. */
	static SessionFactory sessionFactory(DataSource dataSource) {
		Configuration configuration = new Configuration().addAnnotatedClass(BenchOrder.class);
		Map.of("hibernate.connection.datasource", (Object) dataSource, "hibernate.jdbc.batch_size",
				(Object) Integer.toString(HIBERNATE_BATCH_SIZE), "hibernate.order_inserts", "true",
				"hibernate.hbm2ddl.auto", "none", "hibernate.show_sql", "false")
			.forEach(configuration.getProperties()::put);
		return configuration.buildSessionFactory();
	}

	private static void topItems(Connection connection) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(TOP_ITEMS);
				ResultSet result = statement.executeQuery()) {
			while (result.next()) {
				result.getLong(4);
			}
		}
	}

	private static void placeOrder(Connection connection, ThreadLocalRandom random) throws SQLException {
		int item = random.nextInt(1, Workload.ROWS + 1);
		connection.setAutoCommit(false);
		try {
			try (PreparedStatement count = connection
				.prepareStatement("UPDATE bench_item SET quantity = quantity + 1 WHERE id = ?")) {
				count.setInt(1, item);
				count.executeUpdate();
			}
			try (PreparedStatement insert = connection
				.prepareStatement("INSERT INTO bench_order (item_id, quantity) VALUES (?, ?)")) {
				insert.setInt(1, item);
				insert.setInt(2, 1 + random.nextInt(5));
				insert.executeUpdate();
			}
			connection.commit();
		}
		catch (SQLException ex) {
			connection.rollback();
			throw ex;
		}
		finally {
			connection.setAutoCommit(true);
		}
	}

	/** A DataSource under test and the Hibernate SessionFactory on it. */
	record Target(String label, DataSource dataSource, SessionFactory sessionFactory) implements AutoCloseable {

		static Target of(String label, DataSource dataSource) {
			return new Target(label, dataSource, RealWorkload.sessionFactory(dataSource));
		}

		@Override
		public void close() {
			this.sessionFactory.close();
		}

	}

}
