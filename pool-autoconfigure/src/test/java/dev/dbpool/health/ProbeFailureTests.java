package dev.dbpool.health;

import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProbeFailureTests {

	@Test
	void sqlStateIsFoundInTheCauseChainAndTheDriverMessageIsDropped() {
		SQLException refused = new SQLException("Connection to db.example.com:5432 refused, password=hunter2", "08001");
		SQLTransientConnectionException timeout = new SQLTransientConnectionException(
				"pool - Connection is not available", null, refused);
		ProbeFailure failure = ProbeFailure.of(timeout);
		assertThat(failure.sqlState()).isEqualTo("08001");
		assertThat(failure.reason()).isEqualTo("cannot connect: connection refused or host unreachable")
			.doesNotContain("hunter2", "db.example.com");
	}

	@Test
	void shutdownAndTooManyConnectionsHaveTheirOwnReasons() {
		assertThat(ProbeFailure.of(new SQLException("x", "57P01")).reason()).contains("shutting down");
		assertThat(ProbeFailure.of(new SQLException("x", "53300")).reason()).contains("too many connections");
		assertThat(ProbeFailure.of(new SQLException("x", "08P99")).reason()).isEqualTo("connection failure");
	}

	@Test
	void timeoutWithoutSqlStateIsDescribedAsTimeout() {
		ProbeFailure failure = ProbeFailure.of(new SQLException("read", new SocketTimeoutException("Read timed out")));
		assertThat(failure.sqlState()).isNull();
		assertThat(failure.reason()).contains("timed out");
	}

}
