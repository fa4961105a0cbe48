package dev.dbpool.retry;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.TargetClassAware;
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

	/** Beyond this many (method, class) pairs, calls resolve through {@link #methods}. */
	private static final int MAX_IDENTITY_ENTRIES = 1024;

	private final Map<MethodClassKey, ResolvedMethod> methods = new ConcurrentHashMap<>();

	/**
	 * The per-call lookup: proxies pass the same {@link Method} instance on every call,
	 * so an identity map (never modified once published; replaced on a miss) avoids
	 * building and hashing a key per call. Keyed by the target's runtime class too, which
	 * for a target that is not itself a proxy determines the class its settings come
	 * from.
	 */
	private volatile Map<Method, Resolution[]> byIdentity = new IdentityHashMap<>();

	/** Entries in {@link #byIdentity}; written under this object's lock. */
	private volatile int identityEntries;

	/**
	 * The last method resolved through {@link #byIdentity}: most proxies call one method
	 * most of the time, and two reference comparisons cost less than the identity map's
	 * hash probe. Not volatile: a {@link Resolution} has only final fields, so a thread
	 * that sees another's write sees it whole, and one that does not takes the map.
	 */
	private @Nullable Resolution lastCall;

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
		if (invocation.getMethod().getReturnType() == void.class) {
			return runner.run(new TransientRetryRunner.ResultlessRetryable() {

				@Override
				public @Nullable Object execute() throws Throwable {
					return proxyInvocation.invocableClone().proceed();
				}

				@Override
				public String getName() {
					return method.name();
				}

			}, method.settings());
		}
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
		Method method = invocation.getMethod();
		Object target = invocation.getThis();
		if (target instanceof TargetClassAware) {
			// A proxy's runtime class does not tell which class it wraps: proxies of
			// one interface share a class. Resolve by the class behind it.
			return resolveByEquality(invocation, runner);
		}
		Class<?> runtimeClass = (target != null) ? target.getClass() : null;
		Resolution last = this.lastCall;
		if (last != null && last.method() == method && last.runtimeClass() == runtimeClass) {
			return last.resolved();
		}
		Resolution known = find(this.byIdentity.get(method), runtimeClass);
		if (known != null) {
			this.lastCall = known;
			return known.resolved();
		}
		ResolvedMethod resolved = resolveByEquality(invocation, runner);
		if (this.identityEntries < MAX_IDENTITY_ENTRIES) {
			remember(method, runtimeClass, resolved);
		}
		return resolved;
	}

	private synchronized void remember(Method method, @Nullable Class<?> runtimeClass, ResolvedMethod resolved) {
		if (this.identityEntries >= MAX_IDENTITY_ENTRIES) {
			return;
		}
		Map<Method, Resolution[]> copy = new IdentityHashMap<>(this.byIdentity);
		Resolution[] known = copy.getOrDefault(method, new Resolution[0]);
		if (find(known, runtimeClass) != null) {
			return;
		}
		Resolution[] extended = Arrays.copyOf(known, known.length + 1);
		extended[known.length] = new Resolution(method, runtimeClass, resolved);
		copy.put(method, extended);
		this.byIdentity = copy;
		this.identityEntries++;
	}

	private static @Nullable Resolution find(Resolution @Nullable [] known, @Nullable Class<?> runtimeClass) {
		if (known != null) {
			for (Resolution resolution : known) {
				if (resolution.runtimeClass() == runtimeClass) {
					return resolution;
				}
			}
		}
		return null;
	}

	private ResolvedMethod resolveByEquality(MethodInvocation invocation, TransientRetryRunner runner) {
		Object target = invocation.getThis();
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target)
				: invocation.getMethod().getDeclaringClass();
		MethodClassKey key = new MethodClassKey(invocation.getMethod(), targetClass);
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

	private record Resolution(Method method, @Nullable Class<?> runtimeClass, ResolvedMethod resolved) {
	}

}
