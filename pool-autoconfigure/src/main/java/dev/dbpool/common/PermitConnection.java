package dev.dbpool.common;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A physical connection that holds one permit of its pool's {@link ConnectionAllowance}
 * and gives it back when it is closed, once. Every other call goes straight to the
 * driver's connection: borrowing and returning pooled connections never touch the
 * allowance.
 */
final class PermitConnection implements ForwardingConnection {

	private final Connection delegate;

	private final Semaphore permits;

	private final AtomicBoolean released = new AtomicBoolean();

	PermitConnection(Connection delegate, Semaphore permits) {
		this.delegate = delegate;
		this.permits = permits;
	}

	@Override
	public Connection delegate() {
		return this.delegate;
	}

	@Override
	public void close() throws SQLException {
		try {
			this.delegate.close();
		}
		finally {
			if (this.released.compareAndSet(false, true)) {
				this.permits.release();
			}
		}
	}

	@Override
	public <T> T unwrap(Class<T> iface) throws SQLException {
		if (iface.isInstance(this)) {
			return iface.cast(this);
		}
		return this.delegate.unwrap(iface);
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) throws SQLException {
		return iface.isInstance(this) || this.delegate.isWrapperFor(iface);
	}

	@Override
	public String toString() {
		return "PermitConnection[" + this.delegate + "]";
	}

}
