package dev.dbpool.retry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryBudgetTest {

	private final AtomicLong clock = new AtomicLong(Duration.ofHours(1).toNanos());

	private final RetryBudget budget = new RetryBudget(0.2, 1, Duration.ofSeconds(10), this.clock::get);

	@Test
	void floorAllowsRetriesWithoutCalls() {
		assertThat(takeAll()).isEqualTo(10);
	}

	@Test
	void shareOfCallsAddsToTheFloor() {
		for (int i = 0; i < 100; i++) {
			this.budget.recordCall();
		}
		assertThat(this.budget.allowedInWindow()).isEqualTo(30);
		assertThat(takeAll()).isEqualTo(30);
		assertThat(this.budget.retriesInWindow()).isEqualTo(30);
	}

	@Test
	void spentBudgetRefillsAsTheWindowMovesOn() {
		assertThat(takeAll()).isEqualTo(10);
		this.clock.addAndGet(Duration.ofSeconds(5).toNanos());
		assertThat(this.budget.tryAcquireRetry()).isFalse();
		this.clock.addAndGet(Duration.ofSeconds(6).toNanos());
		assertThat(this.budget.retriesInWindow()).isZero();
		assertThat(takeAll()).isEqualTo(10);
	}

	@Test
	void callsOlderThanTheWindowNoLongerCount() {
		for (int i = 0; i < 50; i++) {
			this.budget.recordCall();
		}
		this.clock.addAndGet(Duration.ofSeconds(4).toNanos());
		for (int i = 0; i < 50; i++) {
			this.budget.recordCall();
		}
		assertThat(this.budget.callsInWindow()).isEqualTo(100);
		this.clock.addAndGet(Duration.ofSeconds(7).toNanos());
		assertThat(this.budget.callsInWindow()).isEqualTo(50);
		this.clock.addAndGet(Duration.ofSeconds(20).toNanos());
		assertThat(this.budget.callsInWindow()).isZero();
	}

	private int takeAll() {
		int taken = 0;
		while (this.budget.tryAcquireRetry()) {
			taken++;
		}
		return taken;
	}

}
