package dev.dbpool.endpoint;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The checker used on the real scrape must itself reject broken expositions. */
class PrometheusTextFormatTest {

	private static final String VALID = """
			# HELP q_seconds Query time
			# TYPE q_seconds histogram
			q_seconds_bucket{kind="select",le="0.1"} 1
			q_seconds_bucket{kind="select",le="+Inf"} 2
			q_seconds_count{kind="select"} 2
			q_seconds_sum{kind="select"} 0.3
			# TYPE up gauge
			up 1
			""";

	@Test
	void acceptsAWellFormedHistogramAndGauge() {
		assertThat(PrometheusTextFormat.check(VALID)).containsEntry("up{}", 1.0);
	}

	@Test
	void rejectsSampleWithoutType() {
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> PrometheusTextFormat.check("up 1\n"))
			.withMessageContaining("before its TYPE");
	}

	@Test
	void rejectsMalformedLabels() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> PrometheusTextFormat.check("# TYPE up gauge\nup{a=b} 1\n"))
			.withMessageContaining("malformed sample");
	}

	@Test
	void rejectsNonCumulativeBuckets() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> PrometheusTextFormat.check(VALID.replace("le=\"0.1\"} 1", "le=\"0.1\"} 3")))
			.withMessageContaining("cumulative");
	}

	@Test
	void rejectsInfBucketDifferentFromCount() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> PrometheusTextFormat
				.check(VALID.replace("_count{kind=\"select\"} 2", "_count{kind=\"select\"} 5")))
			.withMessageContaining("_count");
	}

	@Test
	void rejectsDuplicateSeries() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> PrometheusTextFormat.check("# TYPE up gauge\nup 1\nup 2\n"))
			.withMessageContaining("duplicate");
	}

}
