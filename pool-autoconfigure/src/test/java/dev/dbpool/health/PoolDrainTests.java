package dev.dbpool.health;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PoolDrainTests {

	private final AtomicLong clock = new AtomicLong();

	@Test
	void idlePoolDrainsAtOnce() {
		PoolDrain drain = new PoolDrain(() -> "p", () -> 0, Duration.ofSeconds(30), this.clock::get);
		assertThat(drain.drain(0)).isEqualTo(new PoolDrain.Outcome(true, 0, 0));
	}

	@Test
	void waitsUntilBorrowedConnectionsComeBack() {
		AtomicInteger busy = new AtomicInteger(2);
		PoolDrain drain = new PoolDrain(() -> "p", () -> {
			this.clock.addAndGet(Duration.ofMillis(100).toNanos());
			return busy.getAndUpdate((value) -> Math.max(0, value - 1));
		}, Duration.ofSeconds(30), this.clock::get);
		PoolDrain.Outcome outcome = drain.drain(0);
		assertThat(outcome.clean()).isTrue();
		assertThat(busy.get()).isZero();
	}

	@Test
	void drainTimeoutCountsFromTheStartOfShutdown() {
		this.clock.set(Duration.ofSeconds(31).toNanos());
		PoolDrain drain = new PoolDrain(() -> "p", () -> 3, Duration.ofSeconds(30), this.clock::get);
		PoolDrain.Outcome outcome = drain.drain(0);
		assertThat(outcome).isEqualTo(new PoolDrain.Outcome(false, 3, 31_000));
	}

}
