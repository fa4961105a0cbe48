package dev.dbpool.retry;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link InvalidRetryPropertyException} into a startup report that names the
 * property, its value and what to change.
 */
final class InvalidRetryPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidRetryPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidRetryPropertyException cause) {
		return new FailureAnalysis(
				"The retry property " + cause.getProperty() + " is set to '" + cause.getValue() + "', but it must be "
						+ cause.getExpected() + ".",
				"Change " + cause.getProperty() + " to " + cause.getExpected()
						+ ", or remove it to use the default (see docs/retry.md).",
				cause);
	}

}
