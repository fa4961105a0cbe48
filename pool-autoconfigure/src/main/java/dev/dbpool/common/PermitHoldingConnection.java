package dev.dbpool.common;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Semaphore;

/**
 * A connection that holds one permit of a {@link Semaphore} and gives it back once: at
 * its first {@code close()}, after the connection it wraps is closed, or at an explicit
 * {@link #releasePermit()}, whichever comes first. Every other call is forwarded. The
 * connection allowance's physical connections and the fair admission queue's borrowed
 * connections are the two kinds; each is unwrapped by its own class.
 */
public abstract class PermitHoldingConnection implements ForwardingConnection {

	private static final VarHandle RELEASED;

	static {
		try {
			RELEASED = MethodHandles.lookup().findVarHandle(PermitHoldingConnection.class, "released", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final Connection delegate;

	private final Semaphore permits;

	@SuppressWarnings("unused") // through RELEASED
	private volatile boolean released;

	protected PermitHoldingConnection(Connection delegate, Semaphore permits) {
		this.delegate = delegate;
		this.permits = permits;
	}

	@Override
	public final Connection delegate() {
		return this.delegate;
	}

	@Override
	public final void close() throws SQLException {
		try {
			this.delegate.close();
		}
		finally {
			releasePermit();
		}
	}

	/** Give the permit back, unless it went back already. */
	public final void releasePermit() {
		if (RELEASED.compareAndSet(this, false, true)) {
			this.permits.release();
		}
	}

	@Override
	public final <T> T unwrap(Class<T> iface) throws SQLException {
		return iface.isInstance(this) ? iface.cast(this) : this.delegate.unwrap(iface);
	}

	@Override
	public final boolean isWrapperFor(Class<?> iface) throws SQLException {
		return iface.isInstance(this) || this.delegate.isWrapperFor(iface);
	}

}
