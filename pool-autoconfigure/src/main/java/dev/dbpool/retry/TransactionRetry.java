package dev.dbpool.retry;

import java.util.concurrent.Callable;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.core.retry.Retryable;

/**
 * The programmatic twin of {@link RetryOnTransientFailure}: runs a unit of work and runs
 * it again after transient PostgreSQL failures. The work should begin its own transaction
 * (call a {@code @Transactional} method, use a {@code TransactionTemplate}), so that each
 * attempt is a fresh transaction; called inside an active transaction it runs once. To
 * have a transaction begun for you, use {@link RetryingTransactionTemplate}.
 * <pre class="code">
 * Order order = transactionRetry.execute(() -&gt; orders.place(cart));
 * transactionRetry.withMaxAttempts(10).idempotent().run(() -&gt; stock.upsert(item));
 * </pre> Instances are immutable; {@code with...} methods return new ones.
 */
public final class TransactionRetry {

	private static final String DEFAULT_NAME = "TransactionRetry";

	private final TransientRetryRunner runner;

	private final RetrySettings settings;

	private final String name;

	/**
	 * Create a retry with the runner's default settings.
	 * @param runner the runner
	 */
	public TransactionRetry(TransientRetryRunner runner) {
		this(runner, runner.defaults(), DEFAULT_NAME);
	}

	private TransactionRetry(TransientRetryRunner runner, RetrySettings settings, String name) {
		this.runner = runner;
		this.settings = settings;
		this.name = name;
	}

	/**
	 * The same retry with another number of attempts.
	 * @param maxAttempts attempts including the first
	 * @return a new instance
	 */
	public TransactionRetry withMaxAttempts(int maxAttempts) {
		return new TransactionRetry(this.runner, this.settings.withMaxAttempts(maxAttempts), this.name);
	}

	/**
	 * The same retry for idempotent work: failures with an unknown commit outcome are
	 * retried too.
	 * @return a new instance
	 */
	public TransactionRetry idempotent() {
		return new TransactionRetry(this.runner, this.settings.withIdempotent(true), this.name);
	}

	/**
	 * The same retry under another name, shown in logs and exceptions.
	 * @param name the operation's name
	 * @return a new instance
	 */
	public TransactionRetry named(String name) {
		return new TransactionRetry(this.runner, this.settings, name);
	}

	/**
	 * Settings this instance retries with.
	 * @return the settings
	 */
	public RetrySettings settings() {
		return this.settings;
	}

	/**
	 * Run work that throws no checked exception.
	 * @param <T> the result type
	 * @param work the work
	 * @return its result
	 */
	public <T extends @Nullable Object> T execute(Supplier<T> work) {
		try {
			return this.runner.run(operation(work::get), this.settings);
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException("Unexpected checked exception from " + this.name, ex);
		}
	}

	/**
	 * Run work that may throw a checked exception.
	 * @param <T> the result type
	 * @param work the work
	 * @return its result
	 * @throws Exception the work's failure when it is not retried or attempts ran out
	 */
	public <T extends @Nullable Object> T call(Callable<T> work) throws Exception {
		try {
			return this.runner.run(operation(work::call), this.settings);
		}
		catch (Exception | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException("Unexpected throwable from " + this.name, ex);
		}
	}

	/**
	 * Run work without a result.
	 * @param work the work
	 */
	public void run(Runnable work) {
		execute(() -> {
			work.run();
			return null;
		});
	}

	private <T extends @Nullable Object> Retryable<T> operation(Retryable<T> work) {
		String operationName = this.name;
		return new Retryable<>() {

			@Override
			public T execute() throws Throwable {
				return work.execute();
			}

			@Override
			public String getName() {
				return operationName;
			}

		};
	}

}
