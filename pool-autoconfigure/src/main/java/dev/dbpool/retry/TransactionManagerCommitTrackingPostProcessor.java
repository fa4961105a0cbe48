package dev.dbpool.retry;

import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.transaction.ConfigurableTransactionManager;

/**
 * Registers the retry layer's commit tracking with every transaction manager in the
 * context, including ones the application defines itself, so that an attempt knows
 * whether its COMMIT was in flight when the connection broke. A
 * {@link JdbcTransactionManager} translates a failed COMMIT into a
 * {@link DataAccessException}, rolls back, and when the rollback fails too (the
 * connection is gone) throws that failure instead, which has no SQLSTATE; its translator
 * is wrapped so that the attempt keeps the COMMIT's own failure (08006).
 */
public final class TransactionManagerCommitTrackingPostProcessor implements BeanPostProcessor {

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof ConfigurableTransactionManager transactionManager
				&& !transactionManager.getTransactionExecutionListeners()
					.contains(CommitTrackingTransactionListener.INSTANCE)) {
			transactionManager.addListener(CommitTrackingTransactionListener.INSTANCE);
		}
		if (bean instanceof JdbcTransactionManager jdbcTransactionManager
				&& !(jdbcTransactionManager.getExceptionTranslator() instanceof CommitFailureRecorder)) {
			jdbcTransactionManager
				.setExceptionTranslator(new CommitFailureRecorder(jdbcTransactionManager.getExceptionTranslator()));
		}
		return bean;
	}

	/** Hands each failure the transaction manager translates to the running attempt. */
	private record CommitFailureRecorder(SQLExceptionTranslator delegate) implements SQLExceptionTranslator {

		@Override
		public @Nullable DataAccessException translate(String task, @Nullable String sql, SQLException ex) {
			AttemptContext context = AttemptContext.current();
			if (context != null && task.contains("commit")) {
				context.commitFailed(ex);
			}
			return this.delegate.translate(task, sql, ex);
		}

	}

}
