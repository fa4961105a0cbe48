package dev.dbpool.datasource;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

import dev.dbpool.common.DatabaseStartupException;
import dev.dbpool.common.Durations;
import dev.dbpool.retry.RetryClassification;
import dev.dbpool.retry.TransientFailureClassifier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits at startup for a database that is not up yet: connects straight through the
 * driver (the pool stays untouched, so nothing is sealed or half-started), with
 * exponential backoff, until it succeeds or the startup timeout is spent. A refused login
 * (28xxx) or a missing database (3D000) will not cure itself, so it fails at once.
 */
public final class StartupConnectionCheck {

	private static final Logger logger = LoggerFactory.getLogger(StartupConnectionCheck.class);

	private static final Duration FIRST_DELAY = Duration.ofMillis(250);

	private static final Duration MAX_DELAY = Duration.ofSeconds(5);

	private final Driver driver;

	private final TransientFailureClassifier classifier;

	private final Sleeper sleeper;

	public StartupConnectionCheck(Driver driver, TransientFailureClassifier classifier) {
		this(driver, classifier, Thread::sleep);
	}

	StartupConnectionCheck(Driver driver, TransientFailureClassifier classifier, Sleeper sleeper) {
		this.driver = driver;
		this.classifier = classifier;
		this.sleeper = sleeper;
	}

	/**
	 * Connect once, retrying transient failures until {@code timeout} has passed.
	 * @param definition the pool to check
	 * @param timeout how long to keep trying
	 */
	public void await(PoolDefinition definition, Duration timeout) {
		Properties properties = definition.driverProperties();
		if (definition.username() != null) {
			properties.setProperty("user", definition.username());
		}
		if (definition.password() != null) {
			properties.setProperty("password", definition.password());
		}
		long start = System.nanoTime();
		long deadline = start + timeout.toNanos();
		Duration delay = FIRST_DELAY;
		for (int attempt = 1;; attempt++) {
			SQLException failure;
			try (Connection connection = this.driver.connect(definition.jdbcUrl(), properties)) {
				if (connection == null) {
					throw new DatabaseStartupException("The PostgreSQL driver does not accept " + definition.jdbcUrl(),
							"Use a jdbc:postgresql:// or postgresql:// URL.", new SQLException("no driver"));
				}
				if (attempt > 1) {
					logger.info("PostgreSQL at {} is reachable after {} attempts ({} ms)", definition.jdbcUrl(),
							attempt, Duration.ofNanos(System.nanoTime() - start).toMillis());
				}
				return;
			}
			catch (SQLException ex) {
				failure = ex;
			}
			String state = (failure.getSQLState() != null) ? failure.getSQLState() : "";
			if (state.startsWith("28")) {
				throw new DatabaseStartupException(
						"PostgreSQL at " + definition.jdbcUrl() + " refused the login of user '" + definition.username()
								+ "' (SQLSTATE " + state + "): " + failure.getMessage(),
						"Check the user and password: db.pool.username / db.pool.password, or the credentials in "
								+ "DATABASE_URL. Also check pg_hba.conf allows this user from this host.",
						failure);
			}
			if ("3D000".equals(state)) {
				throw new DatabaseStartupException(
						"PostgreSQL at " + definition.jdbcUrl() + " has no such database (SQLSTATE 3D000): "
								+ failure.getMessage(),
						"Create the database (CREATE DATABASE ...) or correct the database name in the URL.", failure);
			}
			if (PgBouncerDetector.isStartupParameterRejection(failure)) {
				throw new DatabaseStartupException(
						"PgBouncer at " + definition.jdbcUrl() + " refused the connection (SQLSTATE 08P01): "
								+ failure.getMessage(),
						PgBouncerDetector.startupParameterRejectionAction(
								ServerSetupInspection.serverOf(definition.jdbcUrl()), failure),
						failure);
			}
			if (this.classifier.classify(failure) == RetryClassification.NEVER) {
				throw new DatabaseStartupException(
						"PostgreSQL at " + definition.jdbcUrl()
								+ " refused the connection for a reason waiting will not cure: " + describe(failure),
						"Correct the connection settings (URL, SSL mode, credentials) as the message says.", failure);
			}
			long now = System.nanoTime();
			if (now >= deadline && "53300".equals(state)) {
				throw new DatabaseStartupException(
						"PostgreSQL at " + definition.jdbcUrl() + " has no free connection slots (SQLSTATE 53300) "
								+ "after " + Durations.format(timeout) + " (" + attempt + " attempts): "
								+ failure.getMessage(),
						"The server is running but every connection slot is taken: lower db.pool.connection-limit "
								+ "or db.pool.instances so that instances x connection-limit fits max_connections, "
								+ "close other clients, or raise max_connections (or the role's CONNECTION LIMIT).",
						failure);
			}
			if (now >= deadline) {
				throw new DatabaseStartupException(
						"Could not reach PostgreSQL at " + definition.jdbcUrl() + " within " + Durations.format(timeout)
								+ " (" + attempt + " attempts); last error: " + describe(failure),
						"Check that the server is running and reachable from here, or give it more time with "
								+ "db.pool.startup-timeout.",
						failure);
			}
			Duration sleep = Duration.ofNanos(Math.min(delay.toNanos(), deadline - now));
			logger.warn("PostgreSQL at {} is not reachable yet (attempt {}, {} of {} waited): {}; retrying in {} ms",
					definition.jdbcUrl(), attempt, Durations.format(Duration.ofNanos(now - start)),
					Durations.format(timeout), describe(failure), sleep.toMillis());
			try {
				this.sleeper.sleep(sleep.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new DatabaseStartupException(
						"Interrupted while waiting for PostgreSQL at " + definition.jdbcUrl(),
						"Nothing to change; startup was interrupted.", failure);
			}
			delay = delay.multipliedBy(2);
			if (delay.compareTo(MAX_DELAY) > 0) {
				delay = MAX_DELAY;
			}
		}
	}

	private static String describe(SQLException ex) {
		@Nullable String state = ex.getSQLState();
		return ((state != null) ? "SQLSTATE " + state + ", " : "") + ex.getMessage();
	}

	/** How the check waits between attempts; tests replace it. */
	@FunctionalInterface
	interface Sleeper {

		void sleep(long millis) throws InterruptedException;

	}

}
