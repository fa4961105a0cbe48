package dev.dbpool.aot;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link AotSettingsMismatchException}: every frozen switch, and the rebuild.
 */
public class AotSettingsMismatchFailureAnalyzer extends AbstractFailureAnalyzer<AotSettingsMismatchException> {

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, AotSettingsMismatchException cause) {
		return new FailureAnalysis(
				"The application was processed ahead of time (Spring AOT) with other database pool settings. "
						+ "These switches were decided at build time and the run-time settings change them:\n\n    "
						+ String.join("\n    ", cause.getMismatches()) + "\n",
				AotSettingsMismatchException.ACTION, cause);
	}

}
