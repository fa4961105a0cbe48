package dev.dbpool.retry;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryBackOffTest {

	private final RetryBackOff backOff = new RetryBackOff(Duration.ofSeconds(1), Duration.ofSeconds(10),
			Duration.ofMillis(20), Duration.ofMillis(500), 2.0, 0.2);

	@Test
	void availabilityDelaysGrowFromTheInitialDelayToTheCeiling() {
		assertThat(this.backOff.delayMillis(RetryClassification.RETRY_NOT_SENT, 0, 0.5)).isEqualTo(1000);
		assertThat(this.backOff.delayMillis(RetryClassification.RETRY_IF_BEFORE_COMMIT, 1, 0.5)).isEqualTo(2000);
		assertThat(this.backOff.delayMillis(RetryClassification.RETRY_NOT_SENT, 2, 0.5)).isEqualTo(4000);
		assertThat(this.backOff.delayMillis(RetryClassification.RETRY_NOT_SENT, 10, 0.5)).isEqualTo(10000);
	}

	@Test
	void contentionDelaysAreMuchShorter() {
		assertThat(this.backOff.delayMillis(RetryClassification.RETRY_TRANSACTION, 0, 0.5)).isEqualTo(20);
		assertThat(this.backOff.delayMillis(RetryClassification.RETRY_TRANSACTION, 3, 0.5)).isEqualTo(160);
		assertThat(this.backOff.delayMillis(RetryClassification.RETRY_TRANSACTION, 8, 0.5)).isEqualTo(500);
	}

	@Test
	void jitterSpreadsDelaysByItsShareButNeverAboveTheCeiling() {
		assertThat(this.backOff.delayMillis(RetryClassification.RETRY_NOT_SENT, 0, 0.0)).isEqualTo(800);
		assertThat(this.backOff.delayMillis(RetryClassification.RETRY_NOT_SENT, 0, 0.999)).isBetween(1195L, 1200L);
		assertThat(this.backOff.delayMillis(RetryClassification.RETRY_NOT_SENT, 10, 0.999)).isEqualTo(10000);
		assertThat(this.backOff.delayMillis(RetryClassification.RETRY_NOT_SENT, 10, 0.0)).isEqualTo(8000);
	}

	@Test
	void zeroJitterGivesExactDelays() {
		RetryBackOff exact = new RetryBackOff(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMillis(5),
				Duration.ofMillis(50), 3.0, 0.0);
		assertThat(exact.delayMillis(RetryClassification.RETRY_NOT_SENT, 1, 0.123)).isEqualTo(300);
		assertThat(exact.delayMillis(RetryClassification.RETRY_TRANSACTION, 1, 0.987)).isEqualTo(15);
	}

}
