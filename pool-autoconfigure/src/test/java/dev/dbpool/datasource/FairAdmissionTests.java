package dev.dbpool.datasource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.DbPoolAutoConfiguration;
import dev.dbpool.config.PoolSettingTable;
import dev.dbpool.config.SettingValues;
import dev.dbpool.observe.DbPoolObservationAutoConfiguration;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code db.pool.fair-admission}: borrowers get connections in the order they asked, a
 * borrower arriving while others wait queues behind them, every permit comes back exactly
 * once, and a wait that runs out is HikariCP's pool timeout with what to change.
 */
class FairAdmissionTests {

	private static final int ROUNDS = 5;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DbPoolAutoConfiguration.class, DbPoolScalingAutoConfiguration.class,
				DbPoolAdditionalPoolsAutoConfiguration.class, DbPoolObservationAutoConfiguration.class))
		.withPropertyValues("db.pool.url=" + TestDatabase.shared().databaseUrl(),
				"db.pool.additional.reports.url=" + TestDatabase.shared().databaseUrl());

	private static final int WAITERS = 8;

	@Test
	void connectionsGoToBorrowersInTheOrderTheyAskedAndALateArrivalQueuesBehindThem() throws Exception {
		try (HikariDataSource pool = PoolDataSourceFactory.create(definition(true, 2, "30s"))) {
			assertThat(pool).isInstanceOf(FairAdmissionHikariDataSource.class);
			try (Connection held = pool.getConnection()) {
				for (int round = 1; round <= ROUNDS; round++) {
					// One connection circulates; the other stays held, so every borrow
					// below waits for the one before it.
					Connection circulating = pool.getConnection();
					List<String> order = Collections.synchronizedList(new ArrayList<>());
					List<Thread> waiters = new ArrayList<>();
					List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
					for (int waiter = 1; waiter <= WAITERS; waiter++) {
						String name = "waiter " + waiter;
						Thread thread = new Thread(() -> {
							try (Connection connection = pool.getConnection()) {
								order.add(name);
							}
							catch (SQLException | RuntimeException ex) {
								failures.add(ex);
							}
						}, "fair-admission-" + name);
						thread.start();
						awaitParked(thread);
						waiters.add(thread);
					}
					// The thread that gives the connection back asks again at once: the
					// race HikariCP's own hand-off lets it win.
					circulating.close();
					try (Connection late = pool.getConnection()) {
						order.add("late arrival");
					}
					for (Thread thread : waiters) {
						thread.join(Duration.ofSeconds(30).toMillis());
					}
					assertThat(failures).isEmpty();
					List<String> expected = new ArrayList<>();
					for (int waiter = 1; waiter <= WAITERS; waiter++) {
						expected.add("waiter " + waiter);
					}
					expected.add("late arrival");
					assertThat(order).as("round %d", round).containsExactlyElementsOf(expected);
				}
				assertThat(held.isValid(1)).isTrue();
			}
		}
	}

	@Test
	void waitThatRunsOutIsAPoolTimeoutNamingTheSettingAndLosesNoPermit() throws Exception {
		try (HikariDataSource pool = PoolDataSourceFactory.create(definition(true, 1, "100ms"))) {
			try (Connection held = pool.getConnection()) {
				assertThatExceptionOfType(SQLTransientConnectionException.class).isThrownBy(pool::getConnection)
					.withMessageContaining("Connection is not available, request timed out after 100ms")
					.withMessageContaining("fair admission queue")
					.withMessageContaining("db.pool.pool-timeout=100ms")
					.withMessageContaining("raise db.pool.connection-limit")
					.withNoCause();
			}
			try (Connection again = pool.getConnection()) {
				assertThat(again.isValid(1)).isTrue();
			}
		}
	}

	@Test
	void secondCloseGivesNoSecondPermit() throws Exception {
		try (HikariDataSource pool = PoolDataSourceFactory.create(definition(true, 2, "100ms"))) {
			Connection twice = pool.getConnection();
			twice.close();
			twice.close();
			assertThat(twice.isClosed()).isTrue();
			try (Connection first = pool.getConnection(); Connection second = pool.getConnection()) {
				// A third permit would let this borrow past the queue into HikariCP,
				// whose
				// own timeout says nothing about the queue.
				assertThatExceptionOfType(SQLTransientConnectionException.class).isThrownBy(pool::getConnection)
					.withMessageContaining("fair admission queue");
			}
		}
	}

	@Test
	void evictedConnectionGivesItsPermitBackOnceAndItsCloseGivesNoSecond() throws Exception {
		try (HikariDataSource pool = PoolDataSourceFactory.create(definition(true, 1, "2s"))) {
			Connection evicted = pool.getConnection();
			pool.evictConnection(evicted);
			// HikariCP replaces the evicted connection; the permit is free for it.
			try (Connection replacement = pool.getConnection()) {
				assertThat(replacement.isValid(1)).isTrue();
				evicted.close();
				assertThatExceptionOfType(SQLTransientConnectionException.class).isThrownBy(pool::getConnection)
					.withMessageContaining("fair admission queue");
			}
		}
	}

	@Test
	void failedBorrowGivesThePermitBack() throws Exception {
		// Nothing listens on port 1: every borrow is admitted, then HikariCP gives up on
		// connecting. A permit kept by a failed borrow would make the third borrow time
		// out in the queue instead.
		PoolDefinition unreachable = definition(true, 2, "300ms", "postgresql://nobody@127.0.0.1:1/none");
		try (HikariDataSource pool = PoolDataSourceFactory.create(unreachable, false)) {
			for (int attempt = 0; attempt < 3; attempt++) {
				assertThatExceptionOfType(SQLTransientConnectionException.class).isThrownBy(pool::getConnection)
					.withMessageNotContaining("fair admission queue")
					.withCauseInstanceOf(SQLException.class);
			}
		}
	}

	@Test
	void connectionsUnwrapToThePoolsOwn() throws Exception {
		try (HikariDataSource pool = PoolDataSourceFactory.create(definition(true, 1, "1s"));
				Connection connection = pool.getConnection()) {
			assertThat(connection.isWrapperFor(org.postgresql.PGConnection.class)).isTrue();
			assertThat(connection.unwrap(org.postgresql.PGConnection.class).getBackendPID()).isPositive();
		}
	}

	@Test
	void fairAdmissionFollowsVirtualThreadsUnlessSet() {
		assertThat(settings(false, null).get(PoolSettingTable.FAIR_ADMISSION)).isFalse();
		assertThat(settings(true, null).get(PoolSettingTable.FAIR_ADMISSION)).isTrue();
		assertThat(settings(true, "false").get(PoolSettingTable.FAIR_ADMISSION)).isFalse();
		assertThat(settings(false, "true").get(PoolSettingTable.FAIR_ADMISSION)).isTrue();
	}

	@Test
	void applicationOnVirtualThreadsGetsTheQueueOnEveryPool() {
		this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=true").run((context) -> {
			assertThat(PoolDataSourceFactory.pool(context.getBean(DataSource.class)))
				.isInstanceOf(FairAdmissionHikariDataSource.class);
			assertThat(PoolDataSourceFactory.pool(context.getBean("reportsDataSource", DataSource.class)))
				.isInstanceOf(FairAdmissionHikariDataSource.class);
			// Observed on top: the observed connection forwards to the admitted one.
			try (Connection connection = context.getBean(DataSource.class).getConnection()) {
				assertThat(connection.isWrapperFor(AdmittedConnection.class)).isTrue();
			}
		});
	}

	@Test
	void applicationOnPlatformThreadsKeepsHikariAlone() {
		this.contextRunner.run((context) -> {
			assertThat(PoolDataSourceFactory.pool(context.getBean(DataSource.class)).getClass())
				.isEqualTo(HikariDataSource.class);
			assertThat(PoolDataSourceFactory.pool(context.getBean("reportsDataSource", DataSource.class)).getClass())
				.isEqualTo(HikariDataSource.class);
		});
	}

	@Test
	void poolWithoutFairAdmissionIsHikariAlone() {
		try (HikariDataSource pool = PoolDataSourceFactory.create(definition(false, 2, "1s"))) {
			assertThat(pool.getClass()).isEqualTo(HikariDataSource.class);
		}
	}

	private static dev.dbpool.config.DbPoolSettings settings(boolean virtualThreads, String fairAdmission) {
		Map<String, String> properties = new HashMap<>(Map.of("db.pool.url", TestDatabase.shared().databaseUrl()));
		if (fairAdmission != null) {
			properties.put("db.pool.fair-admission", fairAdmission);
		}
		return new PoolSettingsResolver(SettingValues.of(properties, Map.of()), Map.of(), "fair", virtualThreads)
			.resolve(null)
			.settings();
	}

	private static PoolDefinition definition(boolean fair, int connections, String poolTimeout) {
		return definition(fair, connections, poolTimeout, TestDatabase.shared().databaseUrl());
	}

	private static PoolDefinition definition(boolean fair, int connections, String poolTimeout, String url) {
		SettingValues values = SettingValues.of(
				Map.of("db.pool.url", url, "db.pool.connection-limit", Integer.toString(connections),
						"db.pool.pool-timeout", poolTimeout, "db.pool.fair-admission", Boolean.toString(fair)),
				Map.of());
		return new PoolSettingsResolver(values, Map.of(), "fair-admission").resolve(null);
	}

	/** Wait until the thread is parked: queued for a connection. */
	private static void awaitParked(Thread thread) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (thread.getState() != Thread.State.TIMED_WAITING && thread.getState() != Thread.State.WAITING) {
			assertThat(System.nanoTime()).as("%s parked within 30 s", thread.getName()).isLessThan(deadline);
			Thread.sleep(1);
		}
	}

}
