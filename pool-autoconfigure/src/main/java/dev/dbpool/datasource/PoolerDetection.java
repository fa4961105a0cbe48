package dev.dbpool.datasource;

/**
 * What sits between this application and PostgreSQL, as seen from a client connection.
 *
 * @param kind direct server, pooler in transaction mode, or pooler in another mode
 * @param clientBackendPid the backend pid the server announced to the client (PgBouncer
 * makes one up)
 * @param serverBackendPid {@code pg_backend_pid()} of the server connection that ran the
 * query
 * @param statementTimeout {@code SHOW statement_timeout} as the application sees it
 * @param idleInTransactionSessionTimeout {@code SHOW idle_in_transaction_session_timeout}
 */
public record PoolerDetection(Kind kind, int clientBackendPid, int serverBackendPid, String statementTimeout,
		String idleInTransactionSessionTimeout) {

	/** What the connection goes to. */
	public enum Kind {

		/** PostgreSQL itself: the announced backend pid is the real one. */
		DIRECT,

		/**
		 * A pooler (PgBouncer) that hands one server connection to several clients
		 * between transactions.
		 */
		POOLER_TRANSACTION_MODE,

		/**
		 * A pooler that kept a separate server connection per client: session mode, or
		 * transaction mode with spare server connections.
		 */
		POOLER_OTHER_MODE

	}

	/** Whether a pooler sits in between. */
	public boolean pooler() {
		return this.kind != Kind.DIRECT;
	}

}
