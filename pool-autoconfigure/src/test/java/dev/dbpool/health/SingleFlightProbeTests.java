package dev.dbpool.health;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SingleFlightProbeTests {

	@Test
	void hangingProbeIsReportedAsTimedOutAndNotStartedAgainWhileInFlight() throws Exception {
		AtomicInteger started = new AtomicInteger();
		CountDownLatch release = new CountDownLatch(1);
		try (SingleFlightProbe probe = new SingleFlightProbe(() -> {
			started.incrementAndGet();
			try {
				release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return ProbeResult.answered(1);
		}, Duration.ofMillis(100), "test-probe")) {
			assertThat(probe.run().outcome()).isEqualTo(ProbeResult.Outcome.TIMED_OUT);
			assertThat(probe.run().outcome()).isEqualTo(ProbeResult.Outcome.TIMED_OUT);
			assertThat(started).hasValue(1);
			release.countDown();
			assertThat(probe.run().answered()).isTrue();
		}
	}

	@Test
	void completedProbeIsNotReused() {
		AtomicInteger started = new AtomicInteger();
		try (SingleFlightProbe probe = new SingleFlightProbe(() -> ProbeResult.answered(started.incrementAndGet()),
				Duration.ofSeconds(1), "test-probe")) {
			probe.run();
			probe.run();
			assertThat(started).hasValue(2);
		}
	}

}
