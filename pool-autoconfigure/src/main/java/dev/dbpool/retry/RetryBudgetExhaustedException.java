package dev.dbpool.retry;

import java.io.Serial;

import org.springframework.dao.DataAccessResourceFailureException;

/**
 * A transient failure was not retried because the retry budget was spent: too many
 * retries in the recent window compared with the number of calls, which usually means the
 * database is down rather than briefly unavailable. The cause is the failure that would
 * have been retried. Not retried by any outer retry either.
 */
public class RetryBudgetExhaustedException extends DataAccessResourceFailureException implements NotRetryable {

	@Serial
	private static final long serialVersionUID = 1L;

	/**
	 * Create the exception.
	 * @param message what happened and which properties control it
	 * @param cause the failure that was not retried
	 */
	public RetryBudgetExhaustedException(String message, Throwable cause) {
		super(message, cause);
	}

}
