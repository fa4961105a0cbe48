package dev.dbpool.retry;

import java.time.Duration;
import java.util.Set;

import dev.dbpool.config.DbPoolProperties;
import dev.dbpool.common.InvalidDbPoolSettingException;

/**
 * Checks {@code db.pool.retry.*} once at startup, so that a bad value fails with the
 * property's name instead of surfacing on the first retry.
 */
final class RetryPropertiesValidation {

	private static final String PREFIX = "db.pool.retry.";

	private RetryPropertiesValidation() {
	}

	static void validate(DbPoolProperties.Retry retry) {
		if (retry.getMaxAttempts() < 1) {
			throw invalid(PREFIX + "max-attempts", retry.getMaxAttempts(), "at least 1 (1 disables retry)");
		}
		notNegative("initial-delay", retry.getInitialDelay());
		positive("max-delay", retry.getMaxDelay());
		notNegative("contention-initial-delay", retry.getContentionInitialDelay());
		positive("contention-max-delay", retry.getContentionMaxDelay());
		if (!(retry.getMultiplier() >= 1)) {
			throw invalid(PREFIX + "multiplier", retry.getMultiplier(),
					"a number of at least 1 (1 keeps the delay fixed)");
		}
		if (!(retry.getJitter() >= 0 && retry.getJitter() <= 1)) {
			throw invalid(PREFIX + "jitter", retry.getJitter(), "a number from 0 to 1");
		}
		sqlStates("additional-sql-states", retry.getAdditionalSqlStates());
		sqlStates("excluded-sql-states", retry.getExcludedSqlStates());
		DbPoolProperties.Retry.Budget budget = retry.getBudget();
		if (!(budget.getRatio() >= 0)) {
			throw invalid(PREFIX + "budget.ratio", budget.getRatio(),
					"a number of at least 0, such as 0.2 for one retry per five calls");
		}
		if (budget.getMinRetriesPerSecond() < 0) {
			throw invalid(PREFIX + "budget.min-retries-per-second", budget.getMinRetriesPerSecond(),
					"a whole number of at least 0");
		}
		if (budget.getWindow() == null || budget.getWindow().compareTo(Duration.ofMillis(100)) < 0) {
			throw invalid(PREFIX + "budget.window", budget.getWindow(), "a duration of at least 100ms, such as 10s");
		}
	}

	private static void notNegative(String property, Duration value) {
		if (value == null || value.isNegative()) {
			throw invalid(PREFIX + property, value, "a duration of 0 or more, such as 1s");
		}
	}

	private static void positive(String property, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw invalid(PREFIX + property, value, "a duration greater than 0, such as 10s");
		}
	}

	private static void sqlStates(String property, Set<String> states) {
		for (String state : states) {
			if (!TransientFailureClassifier.isSqlState((state != null) ? state.trim() : null)) {
				throw invalid(PREFIX + property, state,
						"five-character SQLSTATEs (digits or upper-case letters) such as 40001");
			}
		}
	}

	private static InvalidDbPoolSettingException invalid(String property, Object value, String expected) {
		return new InvalidDbPoolSettingException(property, value, expected, "Change " + property + " to " + expected
				+ ", or remove it to use the default (see the README's retry section).");
	}

}
