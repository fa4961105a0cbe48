package dev.dbpool.retry;

import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What one attempt did with its transactions, as far as commit safety needs to know:
 * whether it ran inside a transaction at all, whether a COMMIT was sent and not
 * confirmed, and how many transactions it committed. Bound to the thread for the duration
 * of an attempt by {@link TransientRetryRunner}; fed by a
 * {@link TransactionSynchronization} registered in each transaction the attempt begins.
 */
final class AttemptContext {

	/**
	 * A one-element array per thread rather than the context itself: binding and
	 * unbinding then write an array element instead of setting and removing a
	 * thread-local entry, which on every call cost more than the rest of the success
	 * path. The array is a JDK type ({@code Object[]}) and holds nothing between calls,
	 * so a thread keeps no reference to this library's classes (no class-loader leak on
	 * redeploy); only threads that ran a retried call get one.
	 */
	private static final ThreadLocal<@Nullable Object[]> slot = new ThreadLocal<>();

	private boolean transactional;

	private boolean commitPending;

	private boolean completionUnknown;

	private int commits;

	private final @Nullable CommitOutcomeResolver resolver;

	/** Whether the transaction id was read before the pending COMMIT. */
	private boolean transactionIdRead;

	private @Nullable String transactionId;

	private @Nullable Throwable commitFailure;

	AttemptContext() {
		this(null);
	}

	AttemptContext(@Nullable CommitOutcomeResolver resolver) {
		this.resolver = resolver;
	}

	static @Nullable AttemptContext current() {
		@Nullable Object[] threadSlot = slot.get();
		return (threadSlot != null) ? (AttemptContext) threadSlot[0] : null;
	}

	/**
	 * The calling thread's slot, created on first use. A retried call looks it up once
	 * and hands it to {@link #current(Object[])}, {@link #bind(Object[])} and
	 * {@link #restore(Object[], AttemptContext)}: each thread-local lookup costs a hash
	 * probe.
	 */
	static @Nullable Object[] threadSlot() {
		@Nullable Object[] threadSlot = slot.get();
		if (threadSlot == null) {
			threadSlot = new Object[1];
			slot.set(threadSlot);
		}
		return threadSlot;
	}

	/** The context bound in a slot from {@link #threadSlot()}. */
	static @Nullable AttemptContext current(@Nullable Object[] threadSlot) {
		return (AttemptContext) threadSlot[0];
	}

	/**
	 * Bind this context in the calling thread's slot from {@link #threadSlot()}; returns
	 * the one it replaces.
	 */
	@Nullable AttemptContext bind(@Nullable Object[] threadSlot) {
		AttemptContext previous = (AttemptContext) threadSlot[0];
		threadSlot[0] = this;
		return previous;
	}

	/** Put back the context that {@link #bind(Object[])} replaced. */
	static void restore(@Nullable Object[] threadSlot, @Nullable AttemptContext previous) {
		threadSlot[0] = previous;
	}

	/**
	 * Note that a transaction is starting, before its connection is even obtained, so
	 * that a failure while beginning it is not mistaken for auto-commit work.
	 */
	void transactionStarting() {
		this.transactional = true;
	}

	/**
	 * Track the transaction that is active on this thread now, unless it already is.
	 * Called when a transaction has begun (from the transaction manager's listener, or
	 * from inside a retrying template's callback).
	 */
	void trackCurrentTransaction() {
		this.transactional = true;
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			return;
		}
		for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
			if (synchronization instanceof CommitTracking tracking && tracking.context == this) {
				return;
			}
		}
		TransactionSynchronizationManager.registerSynchronization(new CommitTracking(this));
	}

	boolean isTransactional() {
		return this.transactional;
	}

	/** Whether COMMIT of a read-write transaction was sent without a confirmed result. */
	boolean isCommitPending() {
		return this.commitPending;
	}

	/**
	 * Whether the transaction manager reported a completion it could not confirm (a
	 * failed commit followed by a failed rollback), which it does even when the exception
	 * it throws carries no SQLSTATE.
	 */
	boolean isCompletionUnknown() {
		return this.completionUnknown;
	}

	/**
	 * Whether the transaction whose COMMIT is pending is known to have written nothing
	 * (it had no transaction id just before COMMIT).
	 */
	boolean pendingCommitWroteNothing() {
		return this.transactionIdRead && this.transactionId == null;
	}

	/** The id of the transaction whose COMMIT is pending, if it was read. */
	@Nullable String pendingTransactionId() {
		return this.transactionIdRead ? this.transactionId : null;
	}

	/**
	 * Note the failure of a COMMIT as the transaction manager saw it, before a failed
	 * rollback replaces it with one that carries no SQLSTATE.
	 */
	void commitFailed(Throwable failure) {
		if (this.commitPending || this.commitFailure == null) {
			this.commitFailure = failure;
		}
	}

	/** The COMMIT failure noted for this attempt, if any. */
	@Nullable Throwable commitFailure() {
		return this.commitFailure;
	}

	/** Number of transactions this attempt committed. */
	int commits() {
		return this.commits;
	}

	/**
	 * Follows one transaction. Ordered last, so that its {@code beforeCommit} runs after
	 * every other synchronization's (a JPA flush, for example), as close to the actual
	 * COMMIT as a synchronization gets.
	 */
	static final class CommitTracking implements TransactionSynchronization {

		private final AttemptContext context;

		CommitTracking(AttemptContext context) {
			this.context = context;
		}

		@Override
		public int getOrder() {
			return Ordered.LOWEST_PRECEDENCE;
		}

		@Override
		public void beforeCommit(boolean readOnly) {
			// A read-only transaction changed nothing, so an unknown commit outcome
			// does not matter.
			if (!readOnly) {
				CommitOutcomeResolver resolver = this.context.resolver;
				if (resolver != null) {
					readTransactionId(resolver);
				}
				this.context.commitPending = true;
			}
		}

		private void readTransactionId(CommitOutcomeResolver resolver) {
			this.context.transactionIdRead = false;
			this.context.transactionId = null;
			for (Object resource : TransactionSynchronizationManager.getResourceMap().values()) {
				if (resource instanceof ConnectionHolder holder && holder.isSynchronizedWithTransaction()) {
					try {
						this.context.transactionId = resolver.transactionId(holder.getConnection());
						this.context.transactionIdRead = true;
					}
					catch (SQLException ex) {
						throw new TransactionSystemException("Could not read the transaction id before COMMIT", ex);
					}
					return;
				}
			}
		}

		@Override
		public void afterCompletion(int status) {
			if (status == STATUS_COMMITTED) {
				this.context.commitPending = false;
				this.context.commits++;
			}
			else if (status == STATUS_UNKNOWN) {
				this.context.completionUnknown = true;
			}
		}

	}

}
