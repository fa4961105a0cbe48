package dev.dbpool.datasource;

import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.sql.DataSource;

import dev.dbpool.DbPoolAutoConfiguration;
import dev.dbpool.config.DbPoolSettings;
import dev.dbpool.config.PoolSettingTable;
import dev.dbpool.observe.DbPoolObservationAutoConfiguration;
import dev.dbpool.observe.ObservedDataSource;
import dev.dbpool.observe.StatementShape.ShapeSummary;
import dev.dbpool.testsupport.TestDatabase;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.Transaction;
import org.hibernate.cfg.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code reWriteBatchedInserts=true}, on by default: JDBC batches of INSERTs reach the
 * server as multi-row INSERTs, so the driver reports {@link Statement#SUCCESS_NO_INFO}
 * for each row instead of its count; JdbcTemplate and Hibernate batching work with that.
 */
class BatchedInsertRewriteTests {

	private static final int ROWS = 1000;

	private static final String INSERT = "INSERT INTO ledger_line (account, amount) VALUES (?, ?)";

	private static TestDatabase database;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DbPoolAutoConfiguration.class, DataSourceAutoConfiguration.class,
				DbPoolObservationAutoConfiguration.class))
		.withPropertyValues("spring.application.name=ledger");

	@BeforeAll
	static void createTables() {
		database = TestDatabase.shared().newDatabase("batch");
		database.execute(
				"CREATE TABLE ledger_line (id bigserial PRIMARY KEY, account int NOT NULL, amount int NOT NULL)",
				"CREATE SEQUENCE ledger_entry_seq INCREMENT BY 50",
				"CREATE TABLE ledger_entry (id bigint PRIMARY KEY, account int NOT NULL, amount int NOT NULL)");
	}

	@Test
	void jdbcTemplateBatchIsRewrittenAndEachRowReportsSuccessNoInfo() {
		this.contextRunner.withPropertyValues("db.pool.url=" + database.databaseUrl()).run((context) -> {
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			jdbc.update("TRUNCATE ledger_line");
			int[] counts = jdbc.batchUpdate(INSERT, rows());
			assertThat(counts).hasSize(ROWS);
			assertThat(Arrays.stream(counts).distinct().toArray()).containsExactly(Statement.SUCCESS_NO_INFO);
			assertThat(jdbc.queryForObject("SELECT count(*) FROM ledger_line", Long.class)).isEqualTo(ROWS);
		});
	}

	@Test
	void rewriteTurnedOffGivesOneCountPerRow() {
		this.contextRunner
			.withPropertyValues("db.pool.url=" + database.databaseUrl(), "db.pool.rewrite-batched-inserts=false")
			.run((context) -> {
				JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
				jdbc.update("TRUNCATE ledger_line");
				int[] counts = jdbc.batchUpdate(INSERT, rows());
				assertThat(Arrays.stream(counts).distinct().toArray()).containsExactly(1);
				assertThat(jdbc.queryForObject("SELECT count(*) FROM ledger_line", Long.class)).isEqualTo(ROWS);
				assertThat(context.getBean(DbPoolSettings.class).get(PoolSettingTable.REWRITE_BATCHED_INSERTS))
					.isEqualTo(false);
			});
	}

	@Test
	void hibernateBatchSaveAcceptsTheRewrittenBatches() {
		this.contextRunner.withPropertyValues("db.pool.url=" + database.databaseUrl()).run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			jdbc.update("TRUNCATE ledger_entry");
			try (SessionFactory sessions = sessionFactory(dataSource); Session session = sessions.openSession()) {
				Transaction transaction = session.beginTransaction();
				for (int i = 0; i < 500; i++) {
					session.persist(new LedgerEntry(i % 7, i));
				}
				transaction.commit();
			}
			assertThat(jdbc.queryForObject("SELECT count(*) FROM ledger_entry", Long.class)).isEqualTo(500);
			List<ShapeSummary> inserts = ((ObservedDataSource) dataSource).getObserver()
				.topQueries(50)
				.stream()
				.filter((shape) -> shape.query().startsWith("insert into ledger_entry"))
				.toList();
			// 500 entities at hibernate.jdbc.batch_size=50: ten batch executions.
			assertThat(inserts).singleElement().satisfies((shape) -> assertThat(shape.count()).isEqualTo(10));
		});
	}

	private static List<Object[]> rows() {
		List<Object[]> rows = new ArrayList<>();
		for (int i = 0; i < ROWS; i++) {
			rows.add(new Object[] { i % 13, i });
		}
		return rows;
	}

	private static SessionFactory sessionFactory(DataSource dataSource) {
		Configuration configuration = new Configuration().addAnnotatedClass(LedgerEntry.class);
		configuration.getProperties().put("hibernate.connection.datasource", dataSource);
		configuration.getProperties().put("hibernate.jdbc.batch_size", "50");
		configuration.getProperties().put("hibernate.hbm2ddl.auto", "none");
		return configuration.buildSessionFactory();
	}

	@Entity
	@Table(name = "ledger_entry")
	static class LedgerEntry {

		@Id
		@GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "ledger_entry_seq")
		@SequenceGenerator(name = "ledger_entry_seq", sequenceName = "ledger_entry_seq", allocationSize = 50)
		Long id;

		int account;

		int amount;

		LedgerEntry() {
		}

		LedgerEntry(int account, int amount) {
			this.account = account;
			this.amount = amount;
		}

	}

}
