package dev.dbpool.datasource;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Semaphore;

import dev.dbpool.common.ForwardingConnection;

/**
 * A connection admitted by {@link FairAdmissionHikariDataSource}: {@code close()} returns
 * it to HikariCP and then gives the permit back, so that the next borrower in line finds
 * it free. The permit goes back once, at the first close or when the pool evicts the
 * connection, whichever comes first; HikariCP's own close does nothing the second time.
 */
final class AdmittedConnection implements ForwardingConnection {

	private static final VarHandle RELEASED;

	static {
		try {
			RELEASED = MethodHandles.lookup().findVarHandle(AdmittedConnection.class, "released", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final Connection delegate;

	private final Semaphore permits;

	@SuppressWarnings("unused") // through RELEASED
	private volatile boolean released;

	AdmittedConnection(Connection delegate, Semaphore permits) {
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
			releasePermit();
		}
	}

	/** Give the permit back, unless it went back already. */
	void releasePermit() {
		if (RELEASED.compareAndSet(this, false, true)) {
			this.permits.release();
		}
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> T unwrap(Class<T> iface) throws SQLException {
		return iface.isInstance(this) ? (T) this : this.delegate.unwrap(iface);
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) throws SQLException {
		return iface.isInstance(this) || this.delegate.isWrapperFor(iface);
	}

	@Override
	public String toString() {
		return "Admitted" + this.delegate;
	}

}
