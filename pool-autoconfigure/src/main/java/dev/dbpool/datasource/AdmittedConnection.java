package dev.dbpool.datasource;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Semaphore;

import dev.dbpool.observe.ForwardingConnection;

/**
 * A connection admitted by {@link FairAdmissionHikariDataSource}: its first
 * {@code close()} returns it to HikariCP and then gives the permit back, so that the next
 * borrower in line finds it free. Later closes do nothing, as JDBC requires.
 */
final class AdmittedConnection implements ForwardingConnection {

	private static final VarHandle CLOSED;

	static {
		try {
			CLOSED = MethodHandles.lookup().findVarHandle(AdmittedConnection.class, "closed", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final Connection delegate;

	private final Semaphore permits;

	@SuppressWarnings("unused") // through CLOSED
	private volatile boolean closed;

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
		if (!CLOSED.compareAndSet(this, false, true)) {
			return;
		}
		try {
			this.delegate.close();
		}
		finally {
			this.permits.release();
		}
	}

	@Override
	public boolean isClosed() throws SQLException {
		return this.closed || this.delegate.isClosed();
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
