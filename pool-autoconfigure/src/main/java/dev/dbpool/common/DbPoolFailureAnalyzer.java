package dev.dbpool.common;

import dev.dbpool.common.DatabaseStartupException;

import dev.dbpool.common.InvalidDbPoolSettingException;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns the starter's startup failures into a description that names the setting, the
 * value and what was expected, and an action that says what to change.
 */
public class DbPoolFailureAnalyzer implements FailureAnalyzer {

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof InvalidDbPoolSettingException invalid) {
				return new FailureAnalysis(
						"The database pool setting " + invalid.getProperty() + " is invalid:\n\n" + "    Value:    "
								+ invalid.getValue() + "\n    Expected: " + invalid.getExpected() + "\n",
						invalid.getAction(), invalid);
			}
			if (cause instanceof DatabaseStartupException startup) {
				return new FailureAnalysis(startup.getMessage(), startup.getAction(), startup);
			}
		}
		return null;
	}

}
