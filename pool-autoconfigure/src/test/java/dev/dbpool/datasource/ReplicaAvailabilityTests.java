package dev.dbpool.datasource;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class ReplicaAvailabilityTests {

	private final AtomicLong now = new AtomicLong(1_000_000_000L);

	private final ReplicaAvailability availability = new ReplicaAvailability("app-replica", Duration.ofSeconds(10),
			Duration.ofMinutes(1), this.now::get);

	@Test
	void upReplicaIsAlwaysTried() {
		assertThat(this.availability.shouldTryReplica()).isTrue();
		assertThat(this.availability.shouldTryReplica()).isTrue();
		assertThat(this.availability.isAvailable()).isTrue();
	}

	@Test
	void failedReplicaIsSkippedUntilTheRetryIntervalThenProbedByOneCaller() {
		this.availability.failed(new SQLException("refused", "08001"));
		assertThat(this.availability.isAvailable()).isFalse();
		assertThat(this.availability.shouldTryReplica()).isFalse();
		advance(Duration.ofSeconds(9));
		assertThat(this.availability.shouldTryReplica()).isFalse();
		advance(Duration.ofSeconds(1));
		assertThat(this.availability.shouldTryReplica()).isTrue();
		assertThat(this.availability.shouldTryReplica()).isFalse();
	}

	@Test
	void successfulProbeMakesTheReplicaAvailableAgain(CapturedOutput output) {
		this.availability.failed(new SQLException("refused", "08001"));
		this.availability.fellBack();
		advance(Duration.ofSeconds(10));
		assertThat(this.availability.shouldTryReplica()).isTrue();
		this.availability.succeeded();
		assertThat(this.availability.isAvailable()).isTrue();
		assertThat(this.availability.shouldTryReplica()).isTrue();
		assertThat(output).contains("Read replica pool 'app-replica' is available again");
	}

	@Test
	void outageWarnsOnceThenAtMostOncePerWarnInterval(CapturedOutput output) {
		this.availability.failed(new SQLException("Connection refused", "08001"));
		for (int i = 0; i < 100; i++) {
			this.availability.fellBack();
			this.availability.failed(new SQLException("Connection refused", "08001"));
			advance(Duration.ofMillis(100));
		}
		assertThat(count(output.getOut(), "is unavailable (SQLSTATE 08001: Connection refused)")).isEqualTo(1);
		assertThat(count(output.getOut(), "is still unavailable")).isZero();
		advance(Duration.ofMinutes(1));
		this.availability.fellBack();
		assertThat(count(output.getOut(), "is still unavailable")).isEqualTo(1);
		assertThat(output).contains("101 read-only transactions went to the primary");
		assertThat(this.availability.fallbacks()).isEqualTo(101);
	}

	private void advance(Duration duration) {
		this.now.addAndGet(duration.toNanos());
	}

	private static int count(String text, String part) {
		return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
	}

}
