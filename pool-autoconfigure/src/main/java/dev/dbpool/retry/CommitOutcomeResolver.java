package dev.dbpool.retry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Finds out what became of a transaction whose connection broke after COMMIT was sent, by
 * asking PostgreSQL. Just before COMMIT it reads the transaction's id on the
 * transaction's own connection ({@code pg_current_xact_id_if_assigned()}, PostgreSQL 13+;
 * {@code txid_current_if_assigned()} before): no id means the transaction wrote nothing,
 * so its outcome does not matter. After the break it asks {@code pg_xact_status(id)} on a
 * connection within the pool's connection limit (a fresh one when a permit is free, else
 * one of the pool's own), retrying briefly while the server is unreachable, no connection
 * can be had or the server is still finishing the commit.
 */
public final class CommitOutcomeResolver {

	private static final Log logger = LogFactory.getLog(CommitOutcomeResolver.class);

	/** What the server says about a transaction. */
	public enum Outcome {

		/** It committed: the work is there. */
		COMMITTED,

		/** It rolled back: nothing of it is there. */
		ABORTED,

		/**
		 * The server could not be asked within the window, or no longer knows the id.
		 */
		UNKNOWN

	}

	/** Opens a connection to the same server, within the pool's connection limit. */
	@FunctionalInterface
	public interface ConnectionOpener {

		Connection open() throws SQLException;

	}

	private final ConnectionOpener opener;

	private final Duration window;

	/**
	 * Create a resolver.
	 * @param opener opens fresh connections to the server
	 * @param window how long to keep asking an unreachable server
	 */
	public CommitOutcomeResolver(ConnectionOpener opener, Duration window) {
		this.opener = opener;
		this.window = window;
	}

	/**
	 * The current transaction's id, read on its own connection just before COMMIT.
	 * @param connection the transaction's connection
	 * @return the id, or {@code null} if the transaction has written nothing
	 * @throws SQLException if the connection fails
	 */
	@Nullable String transactionId(Connection connection) throws SQLException {
		boolean modern = connection.getMetaData().getDatabaseMajorVersion() >= 13;
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(modern ? "SELECT pg_current_xact_id_if_assigned()::text"
						: "SELECT txid_current_if_assigned()::text")) {
			result.next();
			return result.getString(1);
		}
	}

	/**
	 * Ask the server what became of a transaction.
	 * @param transactionId the id read before COMMIT
	 * @return the outcome
	 */
	public Outcome resolve(String transactionId) {
		long deadline = System.nanoTime() + this.window.toNanos();
		long delay = 50;
		while (true) {
			try (Connection connection = this.opener.open()) {
				boolean modern = connection.getMetaData().getDatabaseMajorVersion() >= 13;
				try (PreparedStatement statement = connection
					.prepareStatement(modern ? "SELECT pg_xact_status(?::xid8)" : "SELECT txid_status(?::bigint)")) {
					statement.setString(1, transactionId);
					try (ResultSet result = statement.executeQuery()) {
						result.next();
						String status = result.getString(1);
						if (status == null) {
							// Too old: the commit log no longer says.
							return Outcome.UNKNOWN;
						}
						switch (status.toLowerCase(Locale.ROOT)) {
							case "committed" -> {
								return Outcome.COMMITTED;
							}
							case "aborted" -> {
								return Outcome.ABORTED;
							}
							default -> {
								// In progress: the server is still finishing the commit.
							}
						}
					}
				}
			}
			catch (SQLException ex) {
				if (logger.isDebugEnabled()) {
					logger.debug("Could not ask the server about transaction " + transactionId + ": " + ex);
				}
			}
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return Outcome.UNKNOWN;
			}
			try {
				Thread.sleep(Math.min(delay, Duration.ofNanos(left).toMillis() + 1));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return Outcome.UNKNOWN;
			}
			delay = Math.min(delay * 2, 1000);
		}
	}

}
