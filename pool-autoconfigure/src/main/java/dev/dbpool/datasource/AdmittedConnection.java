package dev.dbpool.datasource;

import java.sql.Connection;
import java.util.concurrent.Semaphore;

import dev.dbpool.common.PermitHoldingConnection;

/**
 * A connection admitted by {@link FairAdmissionHikariDataSource}: {@code close()} returns
 * it to HikariCP and then gives the permit back, so that the next borrower in line finds
 * it free. The permit goes back once, at the first close or when the pool evicts the
 * connection, whichever comes first; HikariCP's own close does nothing the second time.
 */
final class AdmittedConnection extends PermitHoldingConnection {

	AdmittedConnection(Connection delegate, Semaphore permits) {
		super(delegate, permits);
	}

	@Override
	public String toString() {
		return "Admitted" + delegate();
	}

}
