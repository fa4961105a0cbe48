package dev.dbpool.observe;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PoolPressureMonitorTest {

	private final PoolPressureMonitor monitor = new PoolPressureMonitor(80.0);

	@Test
	void warnsOncePerExcursionAboveTheThreshold() {
		assertThat(this.monitor.sample(10, 20, 0)).isEmpty();
		assertThat(this.monitor.sample(17, 20, 0)).containsExactly("High pool utilization: 85.0% (17/20)");
		assertThat(this.monitor.sample(18, 20, 0)).isEmpty();
		assertThat(this.monitor.sample(20, 20, 0)).isEmpty();
		assertThat(this.monitor.sample(12, 20, 0)).isEmpty();
		assertThat(this.monitor.sample(19, 20, 0)).containsExactly("High pool utilization: 95.0% (19/20)");
	}

	@Test
	void exactlyAtTheThresholdIsNotAbove() {
		assertThat(this.monitor.sample(16, 20, 0)).isEmpty();
	}

	@Test
	void warnsOnceWhenThreadsStartWaitingAndAgainAfterTheQueueEmptied() {
		assertThat(this.monitor.sample(5, 20, 3))
			.containsExactly("Threads waiting for a database connection: 3 (pool 5/20 in use)");
		assertThat(this.monitor.sample(5, 20, 4)).isEmpty();
		assertThat(this.monitor.sample(5, 20, 0)).isEmpty();
		assertThat(this.monitor.sample(5, 20, 1)).hasSize(1);
	}

	@Test
	void thresholdOutsideZeroToHundredIsRejectedNamingTheProperty() {
		assertThatIllegalArgumentException().isThrownBy(() -> new PoolPressureMonitor(0))
			.withMessageContaining("utilization threshold");
		assertThatIllegalArgumentException().isThrownBy(() -> new PoolPressureMonitor(120));
	}

}
