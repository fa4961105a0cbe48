package dev.dbpool.retry;

import org.aopalliance.aop.Advice;

import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.transaction.annotation.Transactional;

/**
 * Applies the {@link RetryOnTransientFailureInterceptor} to methods and classes annotated
 * with {@link RetryOnTransientFailure} and, optionally, with {@link Transactional}.
 */
public final class RetryOnTransientFailureAdvisor extends AbstractPointcutAdvisor {

	private static final long serialVersionUID = 1L;

	private final transient Advice advice;

	private final transient Pointcut pointcut;

	/**
	 * Create the advisor.
	 * @param interceptor the retry interceptor
	 * @param transactionalMethods whether {@code @Transactional} methods and classes are
	 * retried as well
	 */
	public RetryOnTransientFailureAdvisor(RetryOnTransientFailureInterceptor interceptor,
			boolean transactionalMethods) {
		this.advice = interceptor;
		ComposablePointcut pointcut = new ComposablePointcut(annotated(RetryOnTransientFailure.class));
		if (transactionalMethods) {
			pointcut.union(annotated(Transactional.class));
		}
		this.pointcut = pointcut;
	}

	private static Pointcut annotated(Class<? extends java.lang.annotation.Annotation> annotation) {
		return new ComposablePointcut(new AnnotationMatchingPointcut(annotation, true))
			.union(new AnnotationMatchingPointcut(null, annotation, true));
	}

	@Override
	public Pointcut getPointcut() {
		return this.pointcut;
	}

	@Override
	public Advice getAdvice() {
		return this.advice;
	}

}
