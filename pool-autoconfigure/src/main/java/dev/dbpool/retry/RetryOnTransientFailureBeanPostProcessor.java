package dev.dbpool.retry;

import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;

/**
 * Adds the {@link RetryOnTransientFailureAdvisor} to beans with retried methods. A bean
 * that is already proxied for {@code @Transactional} gets the advisor in front of the
 * existing ones, so that the retry runs outside the transaction interceptor and every
 * attempt is a new transaction.
 */
public final class RetryOnTransientFailureBeanPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

	private static final long serialVersionUID = 1L;

	/**
	 * Create the post-processor.
	 * @param advisor the retry advisor
	 */
	public RetryOnTransientFailureBeanPostProcessor(RetryOnTransientFailureAdvisor advisor) {
		this.advisor = advisor;
		setBeforeExistingAdvisors(true);
		// Same default as Spring Boot's spring.aop.proxy-target-class, so that retried
		// beans can still be injected by class.
		setProxyTargetClass(true);
	}

}
