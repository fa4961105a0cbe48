package dev.dbpool.common;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns the starter's startup failures into a description that names each setting, its
 * value and what was expected, and an action that says what to change, every problem at
 * once.
 */
public class DbPoolFailureAnalyzer implements FailureAnalyzer {

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof InvalidDbPoolSettingException invalid) {
				return analysis(invalid);
			}
			if (cause instanceof DatabaseStartupException startup) {
				return new FailureAnalysis(startup.getMessage(), startup.getAction(), startup);
			}
		}
		return null;
	}

	private static FailureAnalysis analysis(InvalidDbPoolSettingException invalid) {
		if (invalid.getProblems().size() == 1) {
			return new FailureAnalysis(
					"The database pool setting " + invalid.getProperty() + " is invalid:\n\n" + "    Value:    "
							+ invalid.getValue() + "\n    Expected: " + invalid.getExpected() + "\n",
					invalid.getAction(), invalid);
		}
		StringBuilder description = new StringBuilder();
		description.append(invalid.getProblems().size()).append(" database pool settings are invalid:\n");
		StringBuilder action = new StringBuilder();
		for (SettingProblem problem : invalid.getProblems()) {
			description.append("\n    Property: ")
				.append(problem.property())
				.append("\n    Value:    ")
				.append(problem.value())
				.append("\n    Expected: ")
				.append(problem.expected())
				.append('\n');
			action.append((action.length() > 0) ? "\n" : "")
				.append(problem.property())
				.append(": ")
				.append(problem.action());
		}
		return new FailureAnalysis(description.toString(), action.toString(), invalid);
	}

}
