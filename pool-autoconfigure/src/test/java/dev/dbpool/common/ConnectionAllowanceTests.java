package dev.dbpool.common;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;

import com.zaxxer.hikari.util.DriverDataSource;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The permits of one pool's connections, against a real server. */
class ConnectionAllowanceTests {

	private static final TestDatabase database = TestDatabase.shared();

	private static DriverDataSource driver(String jdbcUrl) {
		return new DriverDataSource(jdbcUrl, "org.postgresql.Driver", new java.util.Properties(), database.username(),
				database.password());
	}

	@Test
	void aConnectBeyondTheLimitWaitsThenFailsAndEachCloseGivesItsPermitBackOnce() throws SQLException {
		ConnectionAllowance allowance = new ConnectionAllowance(driver(database.jdbcUrl()), 2, Duration.ofMillis(100));
		Connection first = allowance.getConnection();
		Connection second = allowance.getConnection();
		assertThat(allowance.inUse()).isEqualTo(2);
		assertThatExceptionOfType(SQLTransientConnectionException.class).isThrownBy(allowance::getConnection)
			.withMessageContaining("All 2 connections of the connection limit are open");
		assertThat(allowance.trySideConnection("plan", Duration.ZERO)).isNull();
		first.close();
		first.close();
		assertThat(allowance.inUse()).isEqualTo(1);
		Connection side = allowance.trySideConnection("plan", Duration.ZERO);
		assertThat(side).isNotNull();
		assertThat(side.isValid(1)).isTrue();
		assertThat(allowance.inUse()).isEqualTo(2);
		side.close();
		second.close();
		assertThat(allowance.inUse()).isZero();
	}

	@Test
	void aFailedConnectGivesItsPermitBack() {
		ConnectionAllowance allowance = new ConnectionAllowance(
				driver("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1"), 1, Duration.ofMillis(100));
		assertThatExceptionOfType(SQLException.class).isThrownBy(allowance::getConnection);
		assertThat(allowance.inUse()).isZero();
	}

	@Test
	void skippedSideWorkIsCountedByPurpose() {
		ConnectionAllowance allowance = new ConnectionAllowance(driver(database.jdbcUrl()), 1, Duration.ofMillis(100));
		allowance.decline("plan");
		allowance.decline("plan");
		allowance.decline("backend-check");
		assertThat(allowance.declined()).containsEntry("plan", 2L).containsEntry("backend-check", 1L);
	}

}
