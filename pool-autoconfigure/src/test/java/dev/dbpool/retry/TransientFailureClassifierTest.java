package dev.dbpool.retry;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TransientFailureClassifierTest {

	private final TransientFailureClassifier classifier = new TransientFailureClassifier();

	@ParameterizedTest
	@ValueSource(strings = { "40001", "40P01" })
	void serializationFailureAndDeadlockRetryTheWholeTransaction(String state) {
		assertThat(this.classifier.classify(new SQLException("x", state)))
			.isEqualTo(RetryClassification.RETRY_TRANSACTION);
	}

	@ParameterizedTest
	@ValueSource(strings = { "08001", "53300", "57P03", "08P01" })
	void failuresBeforeAnythingWasSentAreRetried(String state) {
		assertThat(this.classifier.classify(new SQLException("x", state)))
			.isEqualTo(RetryClassification.RETRY_NOT_SENT);
	}

	@ParameterizedTest
	@ValueSource(strings = { "08006", "08003", "08007", "57P01", "57P02", "25P03" })
	void brokenConnectionsAreRetriedOnlyBeforeCommit(String state) {
		assertThat(this.classifier.classify(new SQLException("x", state)))
			.isEqualTo(RetryClassification.RETRY_IF_BEFORE_COMMIT);
	}

	@ParameterizedTest
	@ValueSource(strings = { "08004", "28P01", "28000", "3D000", "40003", "22P02", "22001", "23505", "23503", "42601",
			"42P01", "57014", "XX000" })
	void everythingElseIsNeverRetried(String state) {
		assertThat(this.classifier.classify(new SQLException("x", state))).isEqualTo(RetryClassification.NEVER);
	}

	@Test
	void sqlStateIsFoundThroughSpringExceptionsAndCauses() {
		Throwable failure = new CannotCreateTransactionException("begin",
				new TransientDataAccessResourceException("wrapped", new SQLException("deadlock", "40P01")));
		assertThat(this.classifier.classify(failure)).isEqualTo(RetryClassification.RETRY_TRANSACTION);
		assertThat(TransientFailureClassifier.sqlState(failure)).isEqualTo("40P01");
	}

	@Test
	void springTransientExceptionClassIsNotEnoughToRetry() {
		// Spring maps 40003 (statement completion unknown) to a transient exception;
		// the SQLSTATE decides here.
		Throwable failure = new TransientDataAccessResourceException("x", new SQLException("unknown", "40003"));
		assertThat(this.classifier.classify(failure)).isEqualTo(RetryClassification.NEVER);
	}

	@Test
	void nextExceptionCarriesTheStateOfABatchFailure() {
		BatchUpdateException batch = new BatchUpdateException("batch aborted", null, 0, new int[0], null);
		batch.setNextException(new SQLException("serialization", "40001"));
		assertThat(this.classifier.classify(batch)).isEqualTo(RetryClassification.RETRY_TRANSACTION);
	}

	@Test
	void poolTimeoutWithoutStateMeansNothingWasSent() {
		Throwable failure = new CannotCreateTransactionException("begin",
				new SQLTransientConnectionException("HikariPool-1 - Connection is not available"));
		assertThat(this.classifier.classify(failure)).isEqualTo(RetryClassification.RETRY_NOT_SENT);
		assertThat(TransientFailureClassifier.sqlState(failure)).isNull();
	}

	@Test
	void poolTimeoutCausedByWrongPasswordFailsAtOnce() {
		SQLException authentication = new SQLException("password authentication failed", "28P01");
		SQLTransientConnectionException timeout = new SQLTransientConnectionException("not available", "28P01",
				authentication);
		assertThat(this.classifier.classify(timeout)).isEqualTo(RetryClassification.NEVER);
	}

	@Test
	void statementTimeoutIsRetriedOnlyWhenOptedIn() {
		SQLException timeout = new SQLException("canceling statement due to statement timeout", "57014");
		assertThat(this.classifier.classify(timeout)).isEqualTo(RetryClassification.NEVER);
		assertThat(new TransientFailureClassifier(true, Set.of(), Set.of()).classify(timeout))
			.isEqualTo(RetryClassification.RETRY_TRANSACTION);
	}

	@Test
	void additionalStatesAreRetriedAndExcludedStatesWin() {
		TransientFailureClassifier custom = new TransientFailureClassifier(false, Set.of("55p03", "40001"),
				Set.of("40001", "08P01"));
		assertThat(custom.classify(new SQLException("lock not available", "55P03")))
			.isEqualTo(RetryClassification.RETRY_TRANSACTION);
		assertThat(custom.classify(new SQLException("serialization", "40001"))).isEqualTo(RetryClassification.NEVER);
		assertThat(custom.classify(new SQLException("pgbouncer", "08P01"))).isEqualTo(RetryClassification.NEVER);
	}

	@Test
	void malformedSqlStateIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TransientFailureClassifier(false, Set.of("4001"), Set.of()))
			.withMessageContaining("'4001' is not a SQLSTATE");
	}

	@Test
	void decisionsOfTheRetryLayerAreNeverRetriedAgain() {
		Throwable failure = new RetryBudgetExhaustedException("spent", new SQLException("refused", "08001"));
		assertThat(this.classifier.classify(failure)).isEqualTo(RetryClassification.NEVER);
		Throwable unknown = new CommitOutcomeUnknownException("op", "08006", new SQLException("io", "08006"));
		assertThat(this.classifier.classify(new DataAccessResourceFailureException("x", unknown)))
			.isEqualTo(RetryClassification.NEVER);
	}

	@Test
	void failureWithoutAnySqlExceptionIsNeverRetried() {
		assertThat(this.classifier.classify(new IllegalStateException("bug"))).isEqualTo(RetryClassification.NEVER);
	}

	@Test
	void causeCyclesDoNotLoop() {
		SQLException first = new SQLException("a");
		SQLException second = new SQLException("b", first);
		first.initCause(second);
		assertThat(this.classifier.classify(first)).isEqualTo(RetryClassification.NEVER);
	}

}
