package dev.dbpool.retry;

import java.io.Serial;

import org.jspecify.annotations.Nullable;

import org.springframework.transaction.TransactionException;

/**
 * The connection to PostgreSQL broke after COMMIT was sent and before its result arrived:
 * the transaction may or may not have been committed, and nothing on this side can tell.
 * It is never retried, because running the work again could apply it twice. Check whether
 * the work is there (or make it idempotent, for example with a unique key, and declare it
 * so with {@code @RetryOnTransientFailure(idempotent = true)}).
 * <p>
 * The cause is the original connection failure.
 */
public class CommitOutcomeUnknownException extends TransactionException implements NotRetryable {

	@Serial
	private static final long serialVersionUID = 1L;

	private final @Nullable String sqlState;

	/**
	 * Create the exception.
	 * @param operation name of the operation whose commit was lost
	 * @param sqlState SQLSTATE of the connection failure
	 * @param cause the connection failure
	 */
	public CommitOutcomeUnknownException(String operation, @Nullable String sqlState, Throwable cause) {
		this("Connection lost while committing " + operation + " (SQLSTATE " + RetryStatistics.label(sqlState)
				+ "): the transaction may or may not have been committed, so it was not retried. "
				+ "Check whether its changes are present; declare the operation idempotent "
				+ "(@RetryOnTransientFailure(idempotent = true)) to have such failures retried", sqlState, cause,
				false);
	}

	private CommitOutcomeUnknownException(String message, @Nullable String sqlState, Throwable cause,
			boolean resolved) {
		super(message, cause);
		this.sqlState = sqlState;
	}

	/**
	 * The server reports the transaction committed, but the operation's result went with
	 * the connection, so it cannot be returned; the work was not run again.
	 * @param operation name of the operation
	 * @param sqlState SQLSTATE of the connection failure
	 * @param cause the connection failure
	 * @return the exception
	 */
	static CommitOutcomeUnknownException committedResultLost(String operation, @Nullable String sqlState,
			Throwable cause) {
		return new CommitOutcomeUnknownException(
				"Connection lost while committing " + operation + " (SQLSTATE " + RetryStatistics.label(sqlState)
						+ "): the server reports the transaction COMMITTED, so its changes "
						+ "are there and it was not run again, but the operation's return value was lost with the "
						+ "connection. Return void from such operations, or read the result again",
				sqlState, cause, true);
	}

	/**
	 * SQLSTATE of the connection failure.
	 * @return the SQLSTATE, or {@code null}
	 */
	public @Nullable String getSqlState() {
		return this.sqlState;
	}

}
