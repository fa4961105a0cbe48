package dev.dbpool.retry;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.retry.Retryable;
import org.springframework.util.ClassUtils;

/**
 * Runs a method invocation through the {@link TransientRetryRunner}, with the settings of
 * its {@link RetryOnTransientFailure} annotation (method first, then class), or the
 * defaults for {@code @Transactional} methods picked up by
 * {@code db.pool.retry.transactional}. Settings are resolved once per method.
 */
public final class RetryOnTransientFailureInterceptor implements MethodInterceptor {

	private final Supplier<TransientRetryRunner> runner;

	private final Map<MethodClassKey, ResolvedMethod> methods = new ConcurrentHashMap<>();

	/**
	 * Create an interceptor.
	 * @param runner supplies the runner on first use, so that the post-processor that
	 * applies this interceptor does not initialize the runner's dependencies early
	 */
	public RetryOnTransientFailureInterceptor(Supplier<TransientRetryRunner> runner) {
		this.runner = runner;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		if (!(invocation instanceof ProxyMethodInvocation proxyInvocation)) {
			// Not a Spring proxy call: it can proceed only once, so it cannot be retried.
			return invocation.proceed();
		}
		TransientRetryRunner runner = this.runner.get();
		ResolvedMethod method = resolve(invocation, runner);
		return runner.run(new Retryable<@Nullable Object>() {

			@Override
			public @Nullable Object execute() throws Throwable {
				// A copy per attempt: a MethodInvocation may only proceed once.
				return proxyInvocation.invocableClone().proceed();
			}

			@Override
			public String getName() {
				return method.name();
			}

		}, method.settings());
	}

	private ResolvedMethod resolve(MethodInvocation invocation, TransientRetryRunner runner) {
		Object target = invocation.getThis();
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target)
				: invocation.getMethod().getDeclaringClass();
		MethodClassKey key = new MethodClassKey(invocation.getMethod(), targetClass);
		ResolvedMethod resolved = this.methods.get(key);
		if (resolved != null) {
			return resolved;
		}
		return this.methods.computeIfAbsent(key, (k) -> {
			// Spring invokes the target reflectively; a public method is not made
			// accessible, so every call would otherwise look up its caller for an access
			// check (a stack walk when the call is not inlined).
			invocation.getMethod().trySetAccessible();
			Method specific = AopUtils.getMostSpecificMethod(invocation.getMethod(), targetClass);
			RetryOnTransientFailure annotation = AnnotatedElementUtils.findMergedAnnotation(specific,
					RetryOnTransientFailure.class);
			if (annotation == null) {
				annotation = AnnotatedElementUtils.findMergedAnnotation(targetClass, RetryOnTransientFailure.class);
			}
			RetrySettings settings = runner.defaults();
			if (annotation != null) {
				if (annotation.maxAttempts() > 0) {
					settings = settings.withMaxAttempts(annotation.maxAttempts());
				}
				settings = settings.withIdempotent(annotation.idempotent());
			}
			return new ResolvedMethod(ClassUtils.getShortName(targetClass) + "." + specific.getName(), settings);
		});
	}

	private record ResolvedMethod(String name, RetrySettings settings) {
	}

}
