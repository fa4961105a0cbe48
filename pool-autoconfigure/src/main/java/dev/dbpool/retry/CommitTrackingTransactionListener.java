package dev.dbpool.retry;

import org.jspecify.annotations.Nullable;

import org.springframework.transaction.TransactionExecution;
import org.springframework.transaction.TransactionExecutionListener;

/**
 * Lets a retry attempt follow the transactions it begins, wherever they begin (a
 * {@code @Transactional} method deeper down, a plain {@code TransactionTemplate}). Added
 * to every {@code ConfigurableTransactionManager} in the context; costs one thread-local
 * read per transaction when no retry is in progress.
 */
final class CommitTrackingTransactionListener implements TransactionExecutionListener {

	static final CommitTrackingTransactionListener INSTANCE = new CommitTrackingTransactionListener();

	private CommitTrackingTransactionListener() {
	}

	@Override
	public void beforeBegin(TransactionExecution transaction) {
		AttemptContext context = AttemptContext.current();
		if (context != null) {
			context.transactionStarting();
		}
	}

	@Override
	public void afterBegin(TransactionExecution transaction, @Nullable Throwable beginFailure) {
		AttemptContext context = AttemptContext.current();
		// Savepoints commit nothing on their own; only real transactions are followed.
		if (context != null && beginFailure == null && transaction.isNewTransaction() && !transaction.isNested()) {
			context.trackCurrentTransaction();
		}
	}

}
