package dev.dbpool.datasource;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Sends read-only transactions to the replica pool and everything else to the primary,
 * keyed on {@link TransactionSynchronizationManager#isCurrentTransactionReadOnly()}. Wrap
 * it in a {@link LazyConnectionDataSourceProxy} (see {@link #lazy}): the transaction
 * manager asks for a connection before it publishes the read-only flag, and the lazy
 * proxy defers the real fetch to the first statement, when the flag is known. When the
 * replica cannot hand out a connection and fallback is on, the primary serves the work.
 */
public final class ReplicaRoutingDataSource extends AbstractRoutingDataSource {

	/** Lookup key of the primary pool, also its name in Boot's routing health. */
	public static final String PRIMARY = "primary";

	/** Lookup key of the replica pool, also its name in Boot's routing health. */
	public static final String REPLICA = "replica";

	private final DataSource primary;

	private final DataSource replica;

	private final boolean fallbackToPrimary;

	private final ReplicaAvailability availability;

	/**
	 * Create the routing data source.
	 * @param primary the read-write pool
	 * @param replica the read-only pool
	 * @param fallbackToPrimary whether read-only work goes to the primary when the
	 * replica cannot hand out a connection
	 * @param availability tracks replica outages and rate-limits their warnings
	 */
	public ReplicaRoutingDataSource(DataSource primary, DataSource replica, boolean fallbackToPrimary,
			ReplicaAvailability availability) {
		this.primary = primary;
		this.replica = replica;
		this.fallbackToPrimary = fallbackToPrimary;
		this.availability = availability;
		setTargetDataSources(Map.of(PRIMARY, primary, REPLICA, replica));
		setDefaultTargetDataSource(primary);
		setLenientFallback(false);
		afterPropertiesSet();
	}

	/**
	 * Wrap a routing data source in the lazy proxy that makes read-only routing work.
	 * @param routing the routing data source
	 * @return the proxy to expose as the application's {@link DataSource}
	 */
	public static LazyConnectionDataSourceProxy lazy(ReplicaRoutingDataSource routing) {
		return new LazyConnectionDataSourceProxy(routing);
	}

	@Override
	protected Object determineCurrentLookupKey() {
		return TransactionSynchronizationManager.isCurrentTransactionReadOnly() ? REPLICA : PRIMARY;
	}

	@Override
	public Connection getConnection() throws SQLException {
		if (!TransactionSynchronizationManager.isCurrentTransactionReadOnly()) {
			return this.primary.getConnection();
		}
		return readOnlyConnection();
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		throw new SQLException("The dbpool routing DataSource uses the pools' own credentials; "
				+ "getConnection(username, password) is not supported");
	}

	private Connection readOnlyConnection() throws SQLException {
		if (!this.fallbackToPrimary) {
			return this.replica.getConnection();
		}
		if (this.availability.shouldTryReplica()) {
			try {
				Connection connection = this.replica.getConnection();
				this.availability.succeeded();
				return connection;
			}
			catch (SQLException ex) {
				this.availability.failed(ex);
			}
		}
		this.availability.fellBack();
		return this.primary.getConnection();
	}

	/**
	 * Unwraps through the primary whatever the current transaction, so that tools looking
	 * for "the" pool (Boot's metrics and pool metadata) find the same one every time.
	 */
	@Override
	@SuppressWarnings("unchecked")
	public <T> T unwrap(Class<T> iface) throws SQLException {
		if (iface.isInstance(this)) {
			return (T) this;
		}
		return this.primary.unwrap(iface);
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) throws SQLException {
		return iface.isInstance(this) || this.primary.isWrapperFor(iface);
	}

	/** The read-write pool. */
	public DataSource primary() {
		return this.primary;
	}

	/** The read-only pool. */
	public DataSource replica() {
		return this.replica;
	}

	/** Outage state of the replica. */
	public ReplicaAvailability availability() {
		return this.availability;
	}

}
