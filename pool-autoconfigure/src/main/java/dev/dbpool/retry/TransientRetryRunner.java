package dev.dbpool.retry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryState;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Runs an operation and runs it again after transient PostgreSQL failures, on Spring's
 * {@link RetryTemplate}. Shared by the {@link RetryOnTransientFailure} interceptor,
 * {@link TransactionRetry} and {@link RetryingTransactionTemplate}.
 * <p>
 * Rules, in order: only the outermost boundary retries (not when a transaction or another
 * retry is already active on the thread); {@link RetryClassification#NEVER} failures fail
 * at once; an attempt that already committed a transaction is not replayed; a connection
 * failure while COMMIT was in flight (or during auto-commit work) becomes
 * {@link CommitOutcomeUnknownException}, unless the operation is idempotent; availability
 * retries need room in the {@link RetryBudget}. Failures that are not retried surface
 * unchanged, except for those two cases.
 */
public final class TransientRetryRunner {

	private static final Log logger = LogFactory.getLog(TransientRetryRunner.class);

	/**
	 * At most one budget warning per interval: an outage would otherwise flood the log.
	 */
	private static final long BUDGET_WARNING_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

	private final TransientFailureClassifier classifier;

	private final RetryBackOff backOff;

	private final @Nullable RetryBudget budget;

	private final String budgetDescription;

	private final RetrySettings defaults;

	private final boolean enabled;

	private final List<TransientRetryListener> listeners;

	private final @Nullable CommitOutcomeResolver resolver;

	private volatile long lastBudgetWarning = System.nanoTime() - Duration.ofDays(1).toNanos();

	/**
	 * Create a runner.
	 * @param classifier decides what is transient
	 * @param backOff delays between attempts
	 * @param budget cap on availability retries; {@code null} for none
	 * @param budgetDescription the budget's settings as shown in the fail-fast message
	 * @param defaults settings of operations that do not override them
	 * @param enabled whether anything is retried; {@code false} runs every operation once
	 * @param listeners receivers of retry events
	 */
	public TransientRetryRunner(TransientFailureClassifier classifier, RetryBackOff backOff,
			@Nullable RetryBudget budget, String budgetDescription, RetrySettings defaults, boolean enabled,
			List<TransientRetryListener> listeners) {
		this(classifier, backOff, budget, budgetDescription, defaults, enabled, listeners, null);
	}

	/**
	 * Create a runner that resolves unknown commit outcomes by asking the server.
	 * @param classifier decides what is transient
	 * @param backOff delays between attempts
	 * @param budget cap on availability retries; {@code null} for none
	 * @param budgetDescription the budget's settings as shown in the fail-fast message
	 * @param defaults settings of operations that do not override them
	 * @param enabled whether anything is retried; {@code false} runs every operation once
	 * @param listeners receivers of retry events
	 * @param resolver asks the server about commits whose answer was lost; {@code null}
	 * leaves them unknown
	 */
	public TransientRetryRunner(TransientFailureClassifier classifier, RetryBackOff backOff,
			@Nullable RetryBudget budget, String budgetDescription, RetrySettings defaults, boolean enabled,
			List<TransientRetryListener> listeners, @Nullable CommitOutcomeResolver resolver) {
		this.resolver = resolver;
		this.classifier = classifier;
		this.backOff = backOff;
		this.budget = budget;
		this.budgetDescription = budgetDescription;
		this.defaults = defaults;
		this.enabled = enabled;
		this.listeners = List.copyOf(listeners);
	}

	/**
	 * Settings of operations that do not override them.
	 * @return the defaults from {@code db.pool.retry.*}
	 */
	public RetrySettings defaults() {
		return this.defaults;
	}

	/**
	 * Whether retry is switched on at all.
	 * @return {@code false} when {@code db.pool.retry.enabled=false}
	 */
	public boolean isEnabled() {
		return this.enabled;
	}

	/**
	 * Run an operation, retrying transient failures.
	 * @param <T> the result type
	 * @param operation the operation; its name appears in logs and exceptions
	 * @param settings how to retry it
	 * @return the operation's result
	 * @throws Throwable the operation's failure when it is not retried or attempts ran
	 * out, {@link CommitOutcomeUnknownException} or {@link RetryBudgetExhaustedException}
	 */
	public <T extends @Nullable Object> T run(Retryable<T> operation, RetrySettings settings) throws Throwable {
		if (!this.enabled || settings.maxAttempts() <= 1) {
			return operation.execute();
		}
		@Nullable Object[] threadSlot = AttemptContext.threadSlot();
		if (AttemptContext.current(threadSlot) != null
				|| TransactionSynchronizationManager.isActualTransactionActive()) {
			// The outermost boundary retries; retrying here would replay only part of
			// a transaction that the server has already aborted.
			return operation.execute();
		}
		if (this.budget != null) {
			this.budget.recordCall();
		}
		Call<T> call = new Call<>(operation, settings, threadSlot);
		try {
			// The first attempt runs straight away: most calls succeed, and the retry
			// machinery is only built when one does not.
			return call.execute();
		}
		catch (Throwable firstFailure) {
			call.replayFirstFailure(firstFailure);
		}
		RetryTemplate template = new RetryTemplate(call);
		template.setRetryListener(call);
		try {
			return template.execute(call);
		}
		catch (RetryException ex) {
			if (call.stop == Stop.COMMITTED && operation instanceof ResultlessRetryable) {
				// The server committed the work; a void operation has nothing else to
				// return.
				return null;
			}
			throw call.failure(ex);
		}
	}

	/** An operation without a result: once its commit is confirmed, it has succeeded. */
	interface ResultlessRetryable extends Retryable<@Nullable Object> {

	}

	/**
	 * The failure that decides: when rolling back after a failure fails too (the
	 * connection is gone, and HikariCP reports its closed connection without a SQLSTATE),
	 * Spring throws the rollback failure and keeps the original one aside.
	 */
	private static Throwable decisiveFailure(Throwable failure) {
		if (failure instanceof TransactionSystemException systemException
				&& systemException.getApplicationException() != null) {
			return systemException.getApplicationException();
		}
		return failure;
	}

	private void notifyListeners(Consumer<TransientRetryListener> event) {
		for (TransientRetryListener listener : this.listeners) {
			event.accept(listener);
		}
	}

	private boolean shouldWarnAboutBudget() {
		long now = System.nanoTime();
		long last = this.lastBudgetWarning;
		if (now - last >= BUDGET_WARNING_INTERVAL_NANOS) {
			this.lastBudgetWarning = now;
			return true;
		}
		return false;
	}

	private enum Stop {

		NOT_RETRYABLE, ALREADY_COMMITTED, COMMIT_OUTCOME_UNKNOWN, COMMITTED, EXHAUSTED, BUDGET_SPENT

	}

	/**
	 * One call: the retry policy, back-off and listener of its {@link RetryTemplate},
	 * holding what the last attempt did.
	 */
	private final class Call<T extends @Nullable Object>
			implements Retryable<T>, RetryPolicy, RetryListener, BackOff, BackOffExecution {

		private final Retryable<T> operation;

		private final RetrySettings settings;

		private @Nullable AttemptContext attempt;

		private int attempts;

		private int contentionRetries;

		private int availabilityRetries;

		private long nextDelay;

		private @Nullable String lastSqlState;

		private @Nullable Stop stop;

		/** The calling thread's attempt slot: every attempt runs on that thread. */
		private final @Nullable Object[] threadSlot;

		Call(Retryable<T> operation, RetrySettings settings, @Nullable Object[] threadSlot) {
			this.operation = operation;
			this.settings = settings;
			this.threadSlot = threadSlot;
		}

		@Override
		public String getName() {
			return this.operation.getName();
		}

		private @Nullable Throwable firstFailure;

		/**
		 * Hand the first attempt's failure to the retry template as its initial attempt,
		 * so that the policy decides about it exactly as about any later one.
		 */
		void replayFirstFailure(Throwable failure) {
			this.firstFailure = failure;
		}

		@Override
		public T execute() throws Throwable {
			Throwable replayed = this.firstFailure;
			if (replayed != null) {
				this.firstFailure = null;
				throw replayed;
			}
			AttemptContext context = new AttemptContext(TransientRetryRunner.this.resolver);
			this.attempt = context;
			this.attempts++;
			AttemptContext previous = context.bind(this.threadSlot);
			try {
				return this.operation.execute();
			}
			finally {
				AttemptContext.restore(this.threadSlot, previous);
			}
		}

		@Override
		public boolean shouldRetry(Throwable failure) {
			Throwable decisive = decisiveFailure(failure);
			AttemptContext context = this.attempt;
			Throwable commitFailure = (context != null) ? context.commitFailure() : null;
			if (commitFailure != null && TransientFailureClassifier.sqlState(decisive) == null) {
				// The failed rollback after a failed COMMIT hides the COMMIT's own
				// failure.
				decisive = commitFailure;
			}
			RetryClassification classification = TransientRetryRunner.this.classifier.classify(decisive);
			this.lastSqlState = TransientFailureClassifier.sqlState(decisive);
			if (context != null && context.isCommitPending() && !classification.isContention()
					&& (classification.isRetryable() || context.isCompletionUnknown())) {
				// COMMIT was in flight and no server-reported rollback (serialization,
				// deadlock) tells what became of it.
				if (context.pendingCommitWroteNothing()) {
					// A transaction without a transaction id changed nothing.
					notifyListeners((listener) -> listener.onCommitOutcomeResolved(getName(), "wrote-nothing"));
				}
				else if (!this.settings.idempotent()) {
					CommitOutcomeResolver.Outcome outcome = resolve(context);
					if (outcome == CommitOutcomeResolver.Outcome.COMMITTED) {
						this.stop = Stop.COMMITTED;
						return false;
					}
					if (outcome != CommitOutcomeResolver.Outcome.ABORTED) {
						this.stop = Stop.COMMIT_OUTCOME_UNKNOWN;
						return false;
					}
				}
				if (!classification.isRetryable()) {
					classification = RetryClassification.RETRY_IF_BEFORE_COMMIT;
				}
			}
			if (!classification.isRetryable()) {
				this.stop = Stop.NOT_RETRYABLE;
				return false;
			}
			if (!this.settings.idempotent() && context != null) {
				if (context.commits() > 0) {
					this.stop = Stop.ALREADY_COMMITTED;
					return false;
				}
				// Auto-commit work commits statement by statement: a broken connection
				// may have lost the answer to one that was applied.
				if (classification == RetryClassification.RETRY_IF_BEFORE_COMMIT && !context.isTransactional()) {
					this.stop = Stop.COMMIT_OUTCOME_UNKNOWN;
					return false;
				}
			}
			if (this.attempts >= this.settings.maxAttempts()) {
				this.stop = Stop.EXHAUSTED;
				return false;
			}
			RetryBudget budget = TransientRetryRunner.this.budget;
			if (!classification.isContention() && budget != null && !budget.tryAcquireRetry()) {
				this.stop = Stop.BUDGET_SPENT;
				return false;
			}
			int retryInFamily = classification.isContention() ? this.contentionRetries++ : this.availabilityRetries++;
			this.nextDelay = TransientRetryRunner.this.backOff.delayMillis(classification, retryInFamily,
					ThreadLocalRandom.current().nextDouble());
			return true;
		}

		private CommitOutcomeResolver.@Nullable Outcome resolve(AttemptContext context) {
			CommitOutcomeResolver resolver = TransientRetryRunner.this.resolver;
			String transactionId = context.pendingTransactionId();
			if (resolver == null || transactionId == null) {
				return null;
			}
			CommitOutcomeResolver.Outcome outcome = resolver.resolve(transactionId);
			String label = outcome.name().toLowerCase(java.util.Locale.ROOT);
			if (logger.isInfoEnabled()) {
				logger.info("Connection lost while committing " + getName() + " (SQLSTATE "
						+ RetryStatistics.label(this.lastSqlState) + "); the server reports transaction "
						+ transactionId + " " + label);
			}
			notifyListeners((listener) -> listener.onCommitOutcomeResolved(getName(), label));
			return outcome;
		}

		@Override
		public BackOff getBackOff() {
			return this;
		}

		@Override
		public BackOffExecution start() {
			return this;
		}

		@Override
		public long nextBackOff() {
			return this.nextDelay;
		}

		@Override
		public void beforeRetry(RetryPolicy retryPolicy, Retryable<?> retryable, RetryState retryState) {
			int retry = retryState.getRetryCount();
			if (logger.isDebugEnabled()) {
				Throwable last = retryState.getLastException();
				logger.debug("Retrying " + getName() + " (attempt " + (retry + 1) + " of " + this.settings.maxAttempts()
						+ ", after " + this.nextDelay + " ms) following SQLSTATE "
						+ RetryStatistics.label(this.lastSqlState) + ": " + last);
			}
			String sqlState = this.lastSqlState;
			long delay = this.nextDelay;
			notifyListeners((listener) -> listener.onRetry(getName(), sqlState, retry, delay));
		}

		@Override
		public void onRetrySuccess(RetryPolicy retryPolicy, Retryable<?> retryable, @Nullable Object result) {
			String sqlState = this.lastSqlState;
			int retries = this.attempts - 1;
			notifyListeners((listener) -> listener.onSuccessAfterRetry(getName(), sqlState, retries));
		}

		/** The COMMIT's own failure, with what hid it attached, when one was noted. */
		private Throwable withCommitFailure(Throwable last) {
			AttemptContext context = this.attempt;
			Throwable commitFailure = (context != null) ? context.commitFailure() : null;
			if (commitFailure == null || commitFailure == last) {
				return last;
			}
			commitFailure.addSuppressed(last);
			return commitFailure;
		}

		Throwable failure(RetryException exception) {
			Throwable last = exception.getCause();
			String sqlState = this.lastSqlState;
			Stop reason = this.stop;
			if (reason == null) {
				// Interrupted while backing off: the thread keeps its interrupt flag.
				return last;
			}
			return switch (reason) {
				case NOT_RETRYABLE -> last;
				case ALREADY_COMMITTED -> {
					if (logger.isDebugEnabled()) {
						logger.debug("Not retrying " + getName() + ": a transaction of the failed attempt had "
								+ "already committed and the operation is not declared idempotent");
					}
					yield last;
				}
				case EXHAUSTED -> {
					logger.warn("Giving up on " + getName() + " after " + this.attempts + " attempts; last failure "
							+ "SQLSTATE " + RetryStatistics.label(sqlState) + ": " + last);
					for (Throwable earlier : exception.getSuppressed()) {
						if (earlier != last) {
							last.addSuppressed(earlier);
						}
					}
					notifyListeners((listener) -> listener.onExhausted(getName(), sqlState, this.attempts));
					yield last;
				}
				case COMMIT_OUTCOME_UNKNOWN -> {
					logger.warn("Connection lost while committing " + getName() + " (SQLSTATE "
							+ RetryStatistics.label(sqlState) + "); the outcome is unknown, not retrying");
					notifyListeners((listener) -> listener.onCommitOutcomeUnknown(getName(), sqlState));
					yield new CommitOutcomeUnknownException(getName(), sqlState, withCommitFailure(last));
				}
				case COMMITTED ->
					CommitOutcomeUnknownException.committedResultLost(getName(), sqlState, withCommitFailure(last));
				case BUDGET_SPENT -> {
					RetryBudget budget = TransientRetryRunner.this.budget;
					String message = "Retry budget spent: not retrying " + getName() + " after SQLSTATE "
							+ RetryStatistics.label(sqlState) + " ("
							+ ((budget != null) ? budget.retriesInWindow() + " retries for " + budget.callsInWindow()
									+ " calls in the window; " : "")
							+ TransientRetryRunner.this.budgetDescription + "). The database looks unavailable; "
							+ "raise db.pool.retry.budget.ratio or db.pool.retry.budget.min-retries-per-second "
							+ "to allow more retries, or set db.pool.retry.budget.enabled=false";
					if (shouldWarnAboutBudget()) {
						logger.warn(message);
					}
					notifyListeners((listener) -> listener.onBudgetRejected(getName(), sqlState));
					yield new RetryBudgetExhaustedException(message, last);
				}
			};
		}

	}

}
