package dev.dbpool.retry;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Retry the annotated method (or every public method of the annotated class) after
 * transient PostgreSQL failures: serialization failures, deadlocks, a server that is
 * restarting or refusing connections, a pool that had no connection in time. Each attempt
 * runs in a fresh transaction, since the retry runs outside {@code @Transactional};
 * called inside an already active transaction, the method is not retried by itself (the
 * outermost boundary retries). A method annotation replaces the class annotation as a
 * whole.
 *
 * @see TransactionRetry
 * @see CommitOutcomeUnknownException
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface RetryOnTransientFailure {

	/**
	 * Attempts including the first; 0 (the default) uses
	 * {@code db.pool.retry.max-attempts}.
	 * @return the maximum number of attempts
	 */
	int maxAttempts() default 0;

	/**
	 * Whether running the method twice is harmless (it upserts, or checks a unique key
	 * first). Idempotent methods are retried even when the connection broke while COMMIT
	 * was in flight, instead of failing with {@link CommitOutcomeUnknownException}.
	 * @return whether the method is idempotent
	 */
	boolean idempotent() default false;

}
