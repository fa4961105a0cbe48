package dev.dbpool.retry;

import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Settings are resolved per method and per target class, even when two targets share one
 * interface method (a JDK proxy passes the same {@code Method} instance for both) or are
 * themselves proxies of one class.
 */
class RetryOnTransientFailureInterceptorTest {

	private static final RetryBackOff NO_DELAY = new RetryBackOff(Duration.ZERO, Duration.ofMillis(1), Duration.ZERO,
			Duration.ofMillis(1), 1.0, 0.0);

	private final RetryOnTransientFailureInterceptor interceptor = new RetryOnTransientFailureInterceptor(
			() -> new TransientRetryRunner(new TransientFailureClassifier(), NO_DELAY, null, "none",
					new RetrySettings(3, false), true, List.of()));

	@Test
	void eachTargetClassKeepsItsOwnAttemptsThroughTheSameInterfaceMethod() throws Exception {
		TwoAttempts two = new TwoAttempts();
		FiveAttempts five = new FiveAttempts();
		Work twoProxy = proxy(two);
		Work fiveProxy = proxy(five);
		for (int round = 0; round < 3; round++) {
			assertThatExceptionOfType(SQLException.class).isThrownBy(twoProxy::run);
			assertThatExceptionOfType(SQLException.class).isThrownBy(fiveProxy::run);
		}
		assertThat(two.calls).hasValue(3 * 2);
		assertThat(five.calls).hasValue(3 * 5);
	}

	@Test
	void proxiedTargetsKeepTheSettingsOfTheClassBehindThem() {
		TwoAttempts two = new TwoAttempts();
		FiveAttempts five = new FiveAttempts();
		// Both inner proxies are instances of one JDK proxy class.
		Work twoOuter = proxy(plainProxy(two));
		Work fiveOuter = proxy(plainProxy(five));
		for (int round = 0; round < 2; round++) {
			assertThatExceptionOfType(SQLException.class).isThrownBy(twoOuter::run);
			assertThatExceptionOfType(SQLException.class).isThrownBy(fiveOuter::run);
		}
		assertThat(two.calls).hasValue(2 * 2);
		assertThat(five.calls).hasValue(2 * 5);
	}

	@Test
	void threadHoldsNoAttemptAfterTheCall() {
		Work twoProxy = proxy(new TwoAttempts());
		assertThatExceptionOfType(SQLException.class).isThrownBy(twoProxy::run);
		assertThat(AttemptContext.current()).isNull();
	}

	@Test
	void methodsOfOneClassKeepTheirOwnSettings() throws Exception {
		MixedAttempts mixed = new MixedAttempts();
		Mixed proxy = proxy(mixed, Mixed.class);
		for (int round = 0; round < 2; round++) {
			assertThatExceptionOfType(SQLException.class).isThrownBy(proxy::once);
			assertThatExceptionOfType(SQLException.class).isThrownBy(proxy::fourTimes);
		}
		assertThat(mixed.once).hasValue(2 * 1);
		assertThat(mixed.fourTimes).hasValue(2 * 4);
	}

	private Work proxy(Work target) {
		return proxy(target, Work.class);
	}

	private static Work plainProxy(Work target) {
		ProxyFactory factory = new ProxyFactory(target);
		factory.setInterfaces(Work.class);
		return (Work) factory.getProxy();
	}

	private <T> T proxy(T target, Class<T> type) {
		ProxyFactory factory = new ProxyFactory(target);
		factory.setInterfaces(type);
		factory.addAdvice(this.interceptor);
		return type.cast(factory.getProxy());
	}

	private static SQLException deadlock() {
		return new SQLTransactionRollbackException("deadlock detected", "40P01");
	}

	interface Work {

		void run() throws SQLException;

	}

	@RetryOnTransientFailure(maxAttempts = 2)
	static class TwoAttempts implements Work {

		final AtomicInteger calls = new AtomicInteger();

		@Override
		public void run() throws SQLException {
			this.calls.incrementAndGet();
			throw deadlock();
		}

	}

	@RetryOnTransientFailure(maxAttempts = 5)
	static class FiveAttempts implements Work {

		final AtomicInteger calls = new AtomicInteger();

		@Override
		public void run() throws SQLException {
			this.calls.incrementAndGet();
			throw deadlock();
		}

	}

	interface Mixed {

		void once() throws SQLException;

		void fourTimes() throws SQLException;

	}

	static class MixedAttempts implements Mixed {

		final AtomicInteger once = new AtomicInteger();

		final AtomicInteger fourTimes = new AtomicInteger();

		@Override
		@RetryOnTransientFailure(maxAttempts = 1)
		public void once() throws SQLException {
			this.once.incrementAndGet();
			throw deadlock();
		}

		@Override
		@RetryOnTransientFailure(maxAttempts = 4)
		public void fourTimes() throws SQLException {
			this.fourTimes.incrementAndGet();
			throw deadlock();
		}

	}

}
