package dev.dbpool.common;

import java.sql.Connection;
import java.util.concurrent.Semaphore;

/**
 * A physical connection that holds one permit of its pool's {@link ConnectionAllowance}
 * and gives it back when it is closed, once. Every other call goes straight to the
 * driver's connection: borrowing and returning pooled connections never touch the
 * allowance.
 */
final class PermitConnection extends PermitHoldingConnection {

	PermitConnection(Connection delegate, Semaphore permits) {
		super(delegate, permits);
	}

	@Override
	public String toString() {
		return "PermitConnection[" + delegate() + "]";
	}

}
