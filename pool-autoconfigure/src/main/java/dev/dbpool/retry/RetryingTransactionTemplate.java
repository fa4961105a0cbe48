package dev.dbpool.retry;

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.core.retry.Retryable;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A {@link TransactionTemplate} that runs the callback again, in a new transaction, after
 * transient PostgreSQL failures: the programmatic twin of
 * {@code @RetryOnTransientFailure @Transactional}. Called inside an active transaction it
 * participates in it and does not retry.
 * <p>
 * It is deliberately not a {@code TransactionTemplate} or {@code TransactionOperations}
 * bean, so that it never replaces or competes with the plain template that Spring Boot
 * provides. Instances are immutable; {@code with...} methods return new ones.
 * <pre class="code">
 * long id = retryingTransactionTemplate.withIsolationLevel(TransactionDefinition.ISOLATION_SERIALIZABLE)
 *     .execute((status) -&gt; accounts.transfer(from, to, amount));
 * </pre>
 */
public final class RetryingTransactionTemplate {

	private final TransientRetryRunner runner;

	private final PlatformTransactionManager transactionManager;

	private final TransactionTemplate template;

	private final RetrySettings settings;

	/**
	 * Create a template with default transaction and retry settings.
	 * @param runner the retry runner
	 * @param transactionManager the transaction manager
	 */
	public RetryingTransactionTemplate(TransientRetryRunner runner, PlatformTransactionManager transactionManager) {
		this(runner, transactionManager, new DefaultTransactionDefinition(), runner.defaults());
	}

	private RetryingTransactionTemplate(TransientRetryRunner runner, PlatformTransactionManager transactionManager,
			TransactionDefinition definition, RetrySettings settings) {
		this.runner = runner;
		this.transactionManager = transactionManager;
		this.template = new TransactionTemplate(transactionManager, definition);
		this.settings = settings;
	}

	/**
	 * The same template with another transaction definition.
	 * @param definition propagation, isolation, timeout, read-only, name
	 * @return a new instance
	 */
	public RetryingTransactionTemplate withDefinition(TransactionDefinition definition) {
		return new RetryingTransactionTemplate(this.runner, this.transactionManager, definition, this.settings);
	}

	/**
	 * The same template with another isolation level.
	 * @param isolationLevel one of the {@code TransactionDefinition.ISOLATION_*}
	 * constants
	 * @return a new instance
	 */
	public RetryingTransactionTemplate withIsolationLevel(int isolationLevel) {
		DefaultTransactionDefinition definition = new DefaultTransactionDefinition(this.template);
		definition.setIsolationLevel(isolationLevel);
		return withDefinition(definition);
	}

	/**
	 * The same template with another number of attempts.
	 * @param maxAttempts attempts including the first
	 * @return a new instance
	 */
	public RetryingTransactionTemplate withMaxAttempts(int maxAttempts) {
		return new RetryingTransactionTemplate(this.runner, this.transactionManager, this.template,
				this.settings.withMaxAttempts(maxAttempts));
	}

	/**
	 * The same template for idempotent work: failures with an unknown commit outcome are
	 * retried too.
	 * @return a new instance
	 */
	public RetryingTransactionTemplate idempotent() {
		return new RetryingTransactionTemplate(this.runner, this.transactionManager, this.template,
				this.settings.withIdempotent(true));
	}

	/**
	 * Run the callback in a transaction, retrying transient failures with a new
	 * transaction each time.
	 * @param <T> the result type
	 * @param action the callback
	 * @return its result
	 * @throws TransactionException on begin, commit or rollback failures that are not
	 * retried
	 */
	public <T extends @Nullable Object> T execute(TransactionCallback<T> action) throws TransactionException {
		String name = (this.template.getName() != null) ? this.template.getName() : "RetryingTransactionTemplate";
		Retryable<T> attempt = new Retryable<>() {

			@Override
			public T execute() {
				AttemptContext context = AttemptContext.current();
				if (context != null) {
					context.transactionStarting();
				}
				return RetryingTransactionTemplate.this.template.execute((status) -> {
					if (context != null) {
						// Follows the transaction even with a transaction manager that
						// does not publish execution events.
						context.trackCurrentTransaction();
					}
					return action.doInTransaction(status);
				});
			}

			@Override
			public String getName() {
				return name;
			}

		};
		try {
			return this.runner.run(attempt, this.settings);
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException("Unexpected checked exception from " + name, ex);
		}
	}

	/**
	 * Run the callback in a transaction, without a result.
	 * @param action the callback
	 */
	public void executeWithoutResult(Consumer<TransactionStatus> action) {
		execute((status) -> {
			action.accept(status);
			return null;
		});
	}

}
