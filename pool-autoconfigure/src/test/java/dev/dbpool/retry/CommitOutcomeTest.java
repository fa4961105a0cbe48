package dev.dbpool.retry;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.testsupport.FaultProxy;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Commit safety, with a proxy between the pool and PostgreSQL that loses the connection
 * at a chosen moment.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CommitOutcomeTest {

	private static final AtomicInteger INVOCATIONS = new AtomicInteger();

	private static TestDatabase database;

	private static FaultProxy proxy;

	private static HikariDataSource dataSource;

	private static ConfigurableApplicationContext context;

	private static JdbcTemplate direct;

	@BeforeAll
	static void start() throws Exception {
		database = TestDatabase.shared().newDatabase("commit_outcome");
		database.execute("CREATE TABLE orders (id bigserial, tag text NOT NULL)",
				"CREATE TABLE receipts (tag text PRIMARY KEY)", "CREATE TABLE seats (id int PRIMARY KEY)",
				"CREATE TABLE tickets (seat int NOT NULL REFERENCES seats DEFERRABLE INITIALLY DEFERRED)");
		proxy = FaultProxy.start(database.host(), database.port());
		dataSource = RetryTestContexts.pool(proxy.jdbcUrl(database.database()), database.username(),
				database.password(), "commit-outcome", (config) -> {
					config.setMaximumPoolSize(2);
					// A vanished server is noticed within two seconds.
					config.addDataSourceProperty("socketTimeout", "2");
					// Keep every statement's text on the wire: once pgjdbc prepares a
					// statement on the server it sends only its name.
					config.addDataSourceProperty("prepareThreshold", "0");
				});
		context = RetryTestContexts.start(dataSource, Services.class);
		direct = new JdbcTemplate(plainDataSource());
	}

	@AfterAll
	static void stop() throws Exception {
		context.close();
		dataSource.close();
		proxy.close();
	}

	@BeforeEach
	void reset() {
		direct.execute("TRUNCATE orders, receipts, tickets, seats");
		INVOCATIONS.set(0);
	}

	@Test
	void lostCommitThatTheServerCommittedReturnsNormally() {
		int cutsBefore = proxy.cuts();
		long committedBefore = resolved("committed");
		proxy.cutNextCommit();
		context.getBean(Orders.class).place("lost-commit");
		assertThat(proxy.cuts()).isEqualTo(cutsBefore + 1);
		assertThat(INVOCATIONS).hasValue(1);
		// The server did commit: the row is there, once.
		assertThat(countOrders("lost-commit")).isEqualTo(1);
		assertThat(resolved("committed")).isEqualTo(committedBefore + 1);
	}

	/**
	 * The server aborts at COMMIT (a deferred foreign key finds no seat) and the answer
	 * is lost: asked, the server says the transaction aborted, so the work runs again as
	 * a whole, and this time the seat is there.
	 */
	@Test
	void lostCommitThatTheServerAbortedIsRetriedAsAWhole() {
		long abortedBefore = resolved("aborted");
		int cutsBefore = proxy.cuts();
		proxy.cutNextCommit();
		context.getBean(Orders.class).book(7);
		assertThat(proxy.cuts()).isEqualTo(cutsBefore + 1);
		assertThat(resolved("aborted")).isEqualTo(abortedBefore + 1);
		assertThat(INVOCATIONS).hasValue(2);
		assertThat(direct.queryForObject("SELECT count(*) FROM tickets WHERE seat = 7", Long.class)).isOne();
	}

	@Test
	void lostCommitWithAResultIsNotRunAgainAndSaysItCommitted() {
		proxy.cutNextCommit();
		Throwable thrown = catchThrowable(() -> context.getBean(Orders.class).placeReturningCount("lost-result"));
		assertThat(thrown).isInstanceOf(CommitOutcomeUnknownException.class)
			.hasMessageContaining("reports the transaction COMMITTED")
			.hasMessageContaining("SQLSTATE 08006");
		assertThat(INVOCATIONS).hasValue(1);
		assertThat(countOrders("lost-result")).isEqualTo(1);
	}

	@Test
	void lostCommitOnAServerThatVanishedSurfacesAsUnknownOutcome() {
		long unknownBefore = context.getBean(RetryStatistics.class).commitOutcomeUnknown();
		proxy.vanishAfterNextCommit();
		try {
			Throwable thrown = catchThrowable(() -> context.getBean(Orders.class).place("vanished"));
			assertThat(thrown).isInstanceOf(CommitOutcomeUnknownException.class)
				.hasMessageContaining("may or may not have been committed")
				.hasMessageContaining("SQLSTATE 08006");
		}
		finally {
			proxy.restore();
		}
		assertThat(INVOCATIONS).hasValue(1);
		// The server did commit: the row is there, once.
		assertThat(countOrders("vanished")).isEqualTo(1);
		assertThat(context.getBean(RetryStatistics.class).commitOutcomeUnknown()).isEqualTo(unknownBefore + 1);
		assertThat(resolved("unknown")).isPositive();
	}

	@Test
	void readOnlyTransactionWhoseCommitIsLostIsRetried() {
		int cutsBefore = proxy.cuts();
		proxy.cutNextCommit();
		assertThat(context.getBean(Orders.class).countReadOnly()).isZero();
		assertThat(proxy.cuts()).isEqualTo(cutsBefore + 1);
		assertThat(INVOCATIONS).hasValue(2);
	}

	@Test
	void transactionThatWroteNothingIsRetriedAfterLosingItsCommit() {
		int cutsBefore = proxy.cuts();
		proxy.cutNextCommit();
		assertThat(context.getBean(Orders.class).countReadWrite()).isZero();
		assertThat(proxy.cuts()).isEqualTo(cutsBefore + 1);
		assertThat(INVOCATIONS).hasValue(2);
	}

	@Test
	void connectionLostBeforeCommitIsRetried() {
		int cutsBefore = proxy.cuts();
		proxy.cutAfterStatement(Orders.INSERT);
		context.getBean(Orders.class).place("lost-insert");
		assertThat(proxy.cuts()).isEqualTo(cutsBefore + 1);
		assertThat(INVOCATIONS).hasValue(2);
		// The first attempt's INSERT reached the server but was never committed.
		assertThat(countOrders("lost-insert")).isEqualTo(1);
	}

	@Test
	void idempotentOperationIsRetriedAfterLosingItsCommit() {
		int cutsBefore = proxy.cuts();
		proxy.cutNextCommit();
		context.getBean(Orders.class).recordReceipt("receipt-1");
		assertThat(proxy.cuts()).isEqualTo(cutsBefore + 1);
		assertThat(INVOCATIONS).hasValue(2);
		assertThat(direct.queryForObject("SELECT count(*) FROM receipts WHERE tag = 'receipt-1'", Long.class))
			.isEqualTo(1);
	}

	private static long resolved(String outcome) {
		return context.getBean(RetryStatistics.class).commitOutcomesResolved().getOrDefault(outcome, 0L);
	}

	private static long countOrders(String tag) {
		return direct.queryForObject("SELECT count(*) FROM orders WHERE tag = ?", Long.class, tag);
	}

	private static DataSource plainDataSource() {
		return new org.springframework.jdbc.datasource.DriverManagerDataSource(database.jdbcUrl(), database.username(),
				database.password());
	}

	@Configuration(proxyBeanMethods = false)
	static class Services {

		@Bean
		Orders orders(DataSource dataSource) {
			return new Orders(new JdbcTemplate(dataSource));
		}

	}

	static class Orders {

		static final String INSERT = "INSERT INTO orders (tag) VALUES ($1)";

		private final JdbcTemplate jdbc;

		Orders(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@RetryOnTransientFailure
		@Transactional
		public void place(String tag) {
			INVOCATIONS.incrementAndGet();
			// pgjdbc rewrites ? to $1, which is the text the proxy watches for.
			this.jdbc.update(INSERT.replace("$1", "?"), tag);
		}

		@RetryOnTransientFailure
		@Transactional
		public long placeReturningCount(String tag) {
			place(tag);
			return this.jdbc.queryForObject("SELECT count(*) FROM orders", Long.class);
		}

		/**
		 * Books a seat; the first attempt forgets to create it, which the deferred
		 * foreign key finds only at COMMIT.
		 */
		@RetryOnTransientFailure
		@Transactional
		public void book(int seat) {
			if (INVOCATIONS.incrementAndGet() > 1) {
				this.jdbc.update("INSERT INTO seats (id) VALUES (?)", seat);
			}
			this.jdbc.update("INSERT INTO tickets (seat) VALUES (?)", seat);
		}

		@RetryOnTransientFailure
		@Transactional(readOnly = true)
		public long countReadOnly() {
			INVOCATIONS.incrementAndGet();
			return this.jdbc.queryForObject("SELECT count(*) FROM orders", Long.class);
		}

		@RetryOnTransientFailure
		@Transactional
		public long countReadWrite() {
			INVOCATIONS.incrementAndGet();
			return this.jdbc.queryForObject("SELECT count(*) FROM orders", Long.class);
		}

		@RetryOnTransientFailure(idempotent = true)
		@Transactional
		public void recordReceipt(String tag) {
			INVOCATIONS.incrementAndGet();
			this.jdbc.update("INSERT INTO receipts (tag) VALUES (?) ON CONFLICT (tag) DO NOTHING", tag);
		}

	}

}
