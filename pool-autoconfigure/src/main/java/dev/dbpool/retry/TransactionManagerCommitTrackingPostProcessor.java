package dev.dbpool.retry;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.transaction.ConfigurableTransactionManager;

/**
 * Registers the retry layer's commit tracking with every transaction manager in the
 * context, including ones the application defines itself, so that an attempt knows
 * whether its COMMIT was in flight when the connection broke.
 */
public final class TransactionManagerCommitTrackingPostProcessor implements BeanPostProcessor {

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof ConfigurableTransactionManager transactionManager
				&& !transactionManager.getTransactionExecutionListeners()
					.contains(CommitTrackingTransactionListener.INSTANCE)) {
			transactionManager.addListener(CommitTrackingTransactionListener.INSTANCE);
		}
		return bean;
	}

}
