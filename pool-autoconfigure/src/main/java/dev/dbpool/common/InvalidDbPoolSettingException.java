package dev.dbpool.common;

import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * Settings the starter cannot use, all of them at once. Carries what the failure analyzer
 * needs to teach: for each problem the property, the value as given (never a password),
 * what was expected and what to change.
 */
public class InvalidDbPoolSettingException extends RuntimeException {

	private final List<SettingProblem> problems;

	public InvalidDbPoolSettingException(String property, Object value, String expected, String action) {
		this(property, value, expected, action, null);
	}

	public InvalidDbPoolSettingException(String property, Object value, String expected, String action,
			@Nullable Throwable cause) {
		this(List.of(new SettingProblem(property, String.valueOf(value), expected, action)), cause);
	}

	public InvalidDbPoolSettingException(List<SettingProblem> problems) {
		this(problems, null);
	}

	private InvalidDbPoolSettingException(List<SettingProblem> problems, @Nullable Throwable cause) {
		super(message(problems), cause);
		if (problems.isEmpty()) {
			throw new IllegalArgumentException("An invalid-setting failure needs at least one problem");
		}
		this.problems = List.copyOf(problems);
	}

	private static String message(List<SettingProblem> problems) {
		if (problems.size() == 1) {
			SettingProblem problem = problems.get(0);
			return "Invalid value '" + problem.value() + "' for " + problem.property() + ": expected "
					+ problem.expected() + ". " + problem.action();
		}
		return problems.size() + " invalid database pool settings:"
				+ problems.stream().map((problem) -> "\n  " + problem).collect(Collectors.joining());
	}

	/** Every problem found, in the order found. */
	public List<SettingProblem> getProblems() {
		return this.problems;
	}

	/** Property (or environment variable, or URL parameter) of the first problem. */
	public String getProperty() {
		return this.problems.get(0).property();
	}

	public String getValue() {
		return this.problems.get(0).value();
	}

	public String getExpected() {
		return this.problems.get(0).expected();
	}

	public String getAction() {
		return this.problems.get(0).action();
	}

}
