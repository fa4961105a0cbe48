package dev.dbpool.observe;

import org.jspecify.annotations.Nullable;

/**
 * What one borrowed connection does between its transaction boundaries: statements per
 * shape in the current transaction, and, for autocommit statements, in the web request
 * the connection was borrowed in. One per borrow, used by the thread holding the
 * connection. A statement in autocommit mode outside a web request costs two field reads.
 */
final class ConnectionActivity {

	/**
	 * Activity of a data source whose transactions are not tracked; ignores everything.
	 */
	static final ConnectionActivity INERT = new ConnectionActivity(null, true, null);

	private final @Nullable TransactionTracking tracking;

	private final @Nullable RequestActivity request;

	private final UnitCounts counts = new UnitCounts();

	private boolean autoCommit;

	private int statements;

	private long startNanos;

	ConnectionActivity(@Nullable TransactionTracking tracking, boolean autoCommit, @Nullable RequestActivity request) {
		this.tracking = tracking;
		this.autoCommit = autoCommit;
		this.request = request;
	}

	/**
	 * A statement on this connection returned (normally or not).
	 * @param shape its shape
	 */
	void executed(StatementShape shape) {
		if (!this.autoCommit) {
			if (this.statements++ == 0 && this.startNanos == 0) {
				this.startNanos = System.nanoTime();
			}
			this.counts.add(shape, this.tracking, 1);
		}
		else if (this.request != null) {
			this.request.counts.add(shape, this.tracking, 1);
		}
	}

	/**
	 * {@code setAutoCommit} returned.
	 * @param autoCommit the new mode
	 */
	void autoCommitChanged(boolean autoCommit) {
		if (this.tracking == null || autoCommit == this.autoCommit) {
			return;
		}
		if (autoCommit) {
			// JDBC commits the open transaction when autocommit is switched back on.
			ended(true);
			this.autoCommit = true;
		}
		else {
			this.autoCommit = false;
			this.startNanos = System.nanoTime();
		}
	}

	/**
	 * {@code commit} or {@code rollback} returned or threw: the transaction is over, and
	 * the next statement begins another one.
	 * @param committed whether it was a commit
	 */
	void ended(boolean committed) {
		TransactionTracking tracking = this.tracking;
		if (tracking == null || this.autoCommit) {
			return;
		}
		if (this.statements > 0) {
			long durationNanos = System.nanoTime() - this.startNanos;
			tracking.transactionEnded(this.counts, this.statements, durationNanos, committed, this.request);
		}
		this.counts.clear();
		this.statements = 0;
		this.startNanos = 0;
	}

	/** The connection went back to the pool; the pool rolls back what is still open. */
	void closed() {
		ended(false);
	}

}
