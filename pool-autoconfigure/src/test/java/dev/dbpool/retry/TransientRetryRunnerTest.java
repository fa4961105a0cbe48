package dev.dbpool.retry;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.core.retry.Retryable;
import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The runner's rules with operations that fail on purpose; the database behaviour is
 * covered by {@link RetryOnPostgresTest} and {@link RetryDuringOutageTest}.
 */
class TransientRetryRunnerTest {

	private static final RetryBackOff NO_DELAY = new RetryBackOff(Duration.ZERO, Duration.ofMillis(1), Duration.ZERO,
			Duration.ofMillis(1), 1.0, 0.0);

	private final List<String> events = new ArrayList<>();

	private final TransientRetryListener recorder = new TransientRetryListener() {

		@Override
		public void onRetry(String name, @Nullable String sqlState, int retry, long delayMillis) {
			TransientRetryRunnerTest.this.events.add("retry " + retry + " " + sqlState);
		}

		@Override
		public void onSuccessAfterRetry(String name, @Nullable String sqlState, int retries) {
			TransientRetryRunnerTest.this.events.add("success after " + retries);
		}

		@Override
		public void onExhausted(String name, @Nullable String sqlState, int attempts) {
			TransientRetryRunnerTest.this.events.add("exhausted " + attempts);
		}

		@Override
		public void onBudgetRejected(String name, @Nullable String sqlState) {
			TransientRetryRunnerTest.this.events.add("budget " + sqlState);
		}

		@Override
		public void onCommitOutcomeUnknown(String name, @Nullable String sqlState) {
			TransientRetryRunnerTest.this.events.add("unknown " + sqlState);
		}

	};

	private TransientRetryRunner runner(@Nullable RetryBudget budget, boolean enabled) {
		return new TransientRetryRunner(new TransientFailureClassifier(), NO_DELAY, budget,
				"db.pool.retry.budget.ratio=0", new RetrySettings(3, false), enabled, List.of(this.recorder));
	}

	@Test
	void contentionIsRetriedUntilTheOperationSucceeds() throws Throwable {
		AtomicInteger calls = new AtomicInteger();
		String result = runner(null, true).run(failing(calls, 2, "40001", "done"), new RetrySettings(3, false));
		assertThat(result).isEqualTo("done");
		assertThat(calls).hasValue(3);
		assertThat(this.events).containsExactly("retry 1 40001", "retry 2 40001", "success after 2");
	}

	@Test
	void nonRetryableFailureSurfacesUnchangedAfterOneAttempt() {
		AtomicInteger calls = new AtomicInteger();
		SQLException duplicate = new SQLException("duplicate key", "23505");
		Throwable thrown = catchThrowable(() -> runner(null, true).run(() -> {
			calls.incrementAndGet();
			throw duplicate;
		}, new RetrySettings(3, false)));
		assertThat(thrown).isSameAs(duplicate);
		assertThat(calls).hasValue(1);
		assertThat(this.events).isEmpty();
	}

	@Test
	void lastFailureSurfacesWhenAttemptsRunOut() {
		AtomicInteger calls = new AtomicInteger();
		Throwable thrown = catchThrowable(
				() -> runner(null, true).run(failing(calls, 10, "40P01", "never"), new RetrySettings(3, false)));
		assertThat(thrown).isInstanceOf(SQLException.class).hasMessage("failure 3");
		assertThat(thrown.getSuppressed()).hasSize(2);
		assertThat(calls).hasValue(3);
		assertThat(this.events).containsExactly("retry 1 40P01", "retry 2 40P01", "exhausted 3");
	}

	@Test
	void spentBudgetFailsFastNamingTheProperty() {
		RetryBudget empty = new RetryBudget(0, 0, Duration.ofSeconds(10));
		AtomicInteger calls = new AtomicInteger();
		Throwable thrown = catchThrowable(
				() -> runner(empty, true).run(failing(calls, 10, "08001", "never"), new RetrySettings(3, false)));
		assertThat(thrown).isInstanceOf(RetryBudgetExhaustedException.class)
			.isInstanceOf(DataAccessResourceFailureException.class)
			.hasMessageContaining("db.pool.retry.budget.ratio")
			.hasRootCauseMessage("failure 1");
		assertThat(calls).hasValue(1);
		assertThat(this.events).containsExactly("budget 08001");
	}

	@Test
	void contentionRetriesDoNotDrawOnTheBudget() throws Throwable {
		RetryBudget empty = new RetryBudget(0, 0, Duration.ofSeconds(10));
		AtomicInteger calls = new AtomicInteger();
		assertThat(runner(empty, true).run(failing(calls, 2, "40001", "ok"), new RetrySettings(3, false)))
			.isEqualTo("ok");
	}

	@Test
	void brokenConnectionOutsideAnyTransactionHasAnUnknownOutcome() {
		AtomicInteger calls = new AtomicInteger();
		assertThatExceptionOfType(CommitOutcomeUnknownException.class)
			.isThrownBy(() -> runner(null, true).run(failing(calls, 1, "08006", "x"), new RetrySettings(3, false)))
			.satisfies((ex) -> assertThat(ex.getSqlState()).isEqualTo("08006"));
		assertThat(calls).hasValue(1);
		assertThat(this.events).containsExactly("unknown 08006");
	}

	@Test
	void idempotentOperationIsRetriedAfterABrokenConnection() throws Throwable {
		AtomicInteger calls = new AtomicInteger();
		assertThat(runner(null, true).run(failing(calls, 1, "57P01", "ok"), new RetrySettings(3, true)))
			.isEqualTo("ok");
		assertThat(calls).hasValue(2);
	}

	@Test
	void innerBoundaryDoesNotRetryWhileAnOuterOneIsActive() {
		TransientRetryRunner runner = runner(null, true);
		AtomicInteger inner = new AtomicInteger();
		AtomicInteger outer = new AtomicInteger();
		Throwable thrown = catchThrowable(() -> runner.run(() -> {
			outer.incrementAndGet();
			return runner.run(failing(inner, 10, "40001", "never"), new RetrySettings(5, false));
		}, new RetrySettings(2, false)));
		assertThat(thrown).isInstanceOf(SQLException.class);
		assertThat(outer).hasValue(2);
		assertThat(inner).hasValue(2);
	}

	@Test
	void disabledRunnerRunsOnce() {
		AtomicInteger calls = new AtomicInteger();
		Throwable thrown = catchThrowable(
				() -> runner(null, false).run(failing(calls, 10, "40001", "never"), new RetrySettings(3, false)));
		assertThat(thrown).isInstanceOf(SQLException.class).hasMessage("failure 1");
		assertThat(calls).hasValue(1);
	}

	private static <T> Retryable<T> failing(AtomicInteger calls, int failures, String sqlState, T result) {
		return () -> {
			int call = calls.incrementAndGet();
			if (call <= failures) {
				throw new SQLException("failure " + call, sqlState);
			}
			return result;
		};
	}

}
