package dev.dbpool.datasource;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * A pgjdbc connection whose isolation level and read-only flag apply to each transaction
 * and never to the session, for PgBouncer in transaction mode. pgjdbc's
 * {@code setTransactionIsolation} sends {@code SET SESSION CHARACTERISTICS} as a
 * statement of its own, which PgBouncer may run on another server connection than the
 * transaction that follows (pgjdbc issues #848 and #1880). Here the level and the flag
 * are only recorded; when a transaction begins (the first statement after auto-commit was
 * turned off, or after a commit or rollback) and they differ from the server's defaults,
 * {@code SET TRANSACTION ISOLATION LEVEL ... READ ONLY} goes out as its first statement,
 * in the same round trip as pgjdbc's {@code BEGIN}. {@link #getTransactionIsolation()}
 * answers what the transaction runs at, without asking whichever server connection
 * PgBouncer picks. HikariCP and Spring reset the level and the flag after each use; those
 * resets cost nothing here.
 * <p>
 * Built under HikariCP, per physical connection, so that HikariCP's own reset and every
 * wrapper above it (observation) go through it, and nothing above needs to know.
 */
final class TransactionScopedConnection implements Connection {

	private final Connection delegate;

	private final int defaultIsolation;

	private final SessionStateStatements sessionState;

	private int isolation;

	private boolean readOnly;

	private boolean autoCommit;

	/** Whether the current transaction (auto-commit off) has begun. */
	private boolean begun;

	TransactionScopedConnection(Connection delegate, int defaultIsolation, SessionStateStatements sessionState)
			throws SQLException {
		this.delegate = delegate;
		this.defaultIsolation = defaultIsolation;
		this.isolation = defaultIsolation;
		this.sessionState = sessionState;
		this.autoCommit = delegate.getAutoCommit();
	}

	@Override
	public void setTransactionIsolation(int level) throws SQLException {
		String name = isolationName(level);
		if (name == null) {
			throw new SQLException("Transaction isolation level " + level + " is not supported.", "0A000");
		}
		if (level != this.isolation) {
			requireNoTransaction("isolation level");
			this.isolation = level;
		}
	}

	@Override
	public int getTransactionIsolation() throws SQLException {
		checkOpen();
		return this.isolation;
	}

	@Override
	public void setReadOnly(boolean readOnly) throws SQLException {
		if (readOnly != this.readOnly) {
			requireNoTransaction("read-only property");
			this.readOnly = readOnly;
		}
	}

	@Override
	public boolean isReadOnly() throws SQLException {
		checkOpen();
		return this.readOnly;
	}

	@Override
	public void setAutoCommit(boolean autoCommit) throws SQLException {
		this.delegate.setAutoCommit(autoCommit);
		this.autoCommit = autoCommit;
		this.begun = false;
	}

	@Override
	public void commit() throws SQLException {
		this.begun = false;
		this.delegate.commit();
	}

	@Override
	public void rollback() throws SQLException {
		this.begun = false;
		this.delegate.rollback();
	}

	@Override
	public void setClientInfo(String name, String value) throws SQLClientInfoException {
		this.delegate.setClientInfo(name, value);
	}

	@Override
	public void setClientInfo(Properties properties) throws SQLClientInfoException {
		this.delegate.setClientInfo(properties);
	}

	@Override
	public <T> T unwrap(Class<T> iface) throws SQLException {
		return iface.isInstance(this.delegate) ? iface.cast(this.delegate) : this.delegate.unwrap(iface);
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) throws SQLException {
		return iface.isInstance(this.delegate) || this.delegate.isWrapperFor(iface);
	}

	@Override
	public String toString() {
		return "TransactionScopedConnection[" + this.delegate + "]";
	}

	/**
	 * The first statement of a transaction begins it; in a transaction that wants other
	 * characteristics than the server's defaults, they go out first.
	 */
	private void beginTransaction(@Nullable String sql) throws SQLException {
		if (sql != null) {
			this.sessionState.check(sql);
		}
		if (this.autoCommit || this.begun) {
			return;
		}
		this.begun = true;
		String characteristics = characteristics();
		if (characteristics != null) {
			try (Statement statement = this.delegate.createStatement()) {
				statement.execute(characteristics);
			}
		}
	}

	/**
	 * {@code SET TRANSACTION ...} for the recorded level and flag, if not the defaults.
	 */
	@Nullable String characteristics() {
		if (this.isolation == this.defaultIsolation && !this.readOnly) {
			return null;
		}
		StringBuilder sql = new StringBuilder("SET TRANSACTION");
		if (this.isolation != this.defaultIsolation) {
			sql.append(" ISOLATION LEVEL ").append(isolationName(this.isolation));
		}
		if (this.readOnly) {
			sql.append(" READ ONLY");
		}
		return sql.toString();
	}

	private void requireNoTransaction(String what) throws SQLException {
		checkOpen();
		if (this.begun && transactionState() != TransactionState.IDLE) {
			throw new SQLException("Cannot change transaction " + what + " in the middle of a transaction.", "25001");
		}
		// A statement was created but nothing ran yet: the transaction begins later.
		this.begun = false;
	}

	private TransactionState transactionState() throws SQLException {
		return this.delegate.unwrap(BaseConnection.class).getTransactionState();
	}

	private void checkOpen() throws SQLException {
		if (this.delegate.isClosed()) {
			throw new SQLException("This connection has been closed.", "08003");
		}
	}

	/** Statements built by {@code createStatement} get their SQL looked at too. */
	private Statement statements(Statement statement) {
		if (this.sessionState.mode() == SessionStateStatements.Mode.IGNORE) {
			return statement;
		}
		return (Statement) Proxy.newProxyInstance(TransactionScopedConnection.class.getClassLoader(),
				new Class<?>[] { Statement.class }, new CheckedStatement(statement, this.sessionState));
	}

	static @Nullable String isolationName(int level) {
		return switch (level) {
			case TRANSACTION_READ_UNCOMMITTED -> "READ UNCOMMITTED";
			case TRANSACTION_READ_COMMITTED -> "READ COMMITTED";
			case TRANSACTION_REPEATABLE_READ -> "REPEATABLE READ";
			case TRANSACTION_SERIALIZABLE -> "SERIALIZABLE";
			default -> null;
		};
	}

	/**
	 * Looks at the SQL handed to {@code execute...} and {@code addBatch}, and forwards
	 * everything else.
	 */
	private record CheckedStatement(Statement delegate,
			SessionStateStatements sessionState) implements InvocationHandler {

		@Override
		public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args)
				throws Throwable {
			String name = method.getName();
			if (args != null && args.length > 0 && args[0] instanceof String sql
					&& (name.startsWith("execute") || name.equals("addBatch"))) {
				this.sessionState.check(sql);
			}
			if (name.equals("unwrap") && args != null && args[0] instanceof Class<?> iface
					&& iface.isInstance(this.delegate)) {
				return this.delegate;
			}
			if (name.equals("isWrapperFor") && args != null && args[0] instanceof Class<?> iface
					&& iface.isInstance(this.delegate)) {
				return true;
			}
			try {
				return method.invoke(this.delegate, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getCause();
			}
		}

	}

	@Override
	public java.sql.Statement createStatement() throws SQLException {
		beginTransaction(null);
		return statements(this.delegate.createStatement());
	}

	@Override
	public java.sql.PreparedStatement prepareStatement(String sql) throws SQLException {
		beginTransaction(sql);
		return this.delegate.prepareStatement(sql);
	}

	@Override
	public java.sql.CallableStatement prepareCall(String sql) throws SQLException {
		beginTransaction(sql);
		return this.delegate.prepareCall(sql);
	}

	@Override
	public String nativeSQL(String sql) throws SQLException {
		return this.delegate.nativeSQL(sql);
	}

	@Override
	public boolean getAutoCommit() throws SQLException {
		return this.delegate.getAutoCommit();
	}

	@Override
	public void close() throws SQLException {
		this.delegate.close();
	}

	@Override
	public boolean isClosed() throws SQLException {
		return this.delegate.isClosed();
	}

	@Override
	public java.sql.DatabaseMetaData getMetaData() throws SQLException {
		return this.delegate.getMetaData();
	}

	@Override
	public void setCatalog(String catalog) throws SQLException {
		this.delegate.setCatalog(catalog);
	}

	@Override
	public String getCatalog() throws SQLException {
		return this.delegate.getCatalog();
	}

	@Override
	public java.sql.SQLWarning getWarnings() throws SQLException {
		return this.delegate.getWarnings();
	}

	@Override
	public void clearWarnings() throws SQLException {
		this.delegate.clearWarnings();
	}

	@Override
	public java.sql.Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
		beginTransaction(null);
		return statements(this.delegate.createStatement(resultSetType, resultSetConcurrency));
	}

	@Override
	public java.sql.PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
			throws SQLException {
		beginTransaction(sql);
		return this.delegate.prepareStatement(sql, resultSetType, resultSetConcurrency);
	}

	@Override
	public java.sql.CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency)
			throws SQLException {
		beginTransaction(sql);
		return this.delegate.prepareCall(sql, resultSetType, resultSetConcurrency);
	}

	@Override
	public Map<String, Class<?>> getTypeMap() throws SQLException {
		return this.delegate.getTypeMap();
	}

	@Override
	public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
		this.delegate.setTypeMap(map);
	}

	@Override
	public void setHoldability(int holdability) throws SQLException {
		this.delegate.setHoldability(holdability);
	}

	@Override
	public int getHoldability() throws SQLException {
		return this.delegate.getHoldability();
	}

	@Override
	public java.sql.Savepoint setSavepoint() throws SQLException {
		return this.delegate.setSavepoint();
	}

	@Override
	public java.sql.Savepoint setSavepoint(String name) throws SQLException {
		return this.delegate.setSavepoint(name);
	}

	@Override
	public void rollback(java.sql.Savepoint savepoint) throws SQLException {
		this.delegate.rollback(savepoint);
	}

	@Override
	public void releaseSavepoint(java.sql.Savepoint savepoint) throws SQLException {
		this.delegate.releaseSavepoint(savepoint);
	}

	@Override
	public java.sql.Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
			throws SQLException {
		beginTransaction(null);
		return statements(this.delegate.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability));
	}

	@Override
	public java.sql.PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
			int resultSetHoldability) throws SQLException {
		beginTransaction(sql);
		return this.delegate.prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability);
	}

	@Override
	public java.sql.CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
			int resultSetHoldability) throws SQLException {
		beginTransaction(sql);
		return this.delegate.prepareCall(sql, resultSetType, resultSetConcurrency, resultSetHoldability);
	}

	@Override
	public java.sql.PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
		beginTransaction(sql);
		return this.delegate.prepareStatement(sql, autoGeneratedKeys);
	}

	@Override
	public java.sql.PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
		beginTransaction(sql);
		return this.delegate.prepareStatement(sql, columnIndexes);
	}

	@Override
	public java.sql.PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
		beginTransaction(sql);
		return this.delegate.prepareStatement(sql, columnNames);
	}

	@Override
	public java.sql.Clob createClob() throws SQLException {
		return this.delegate.createClob();
	}

	@Override
	public java.sql.Blob createBlob() throws SQLException {
		return this.delegate.createBlob();
	}

	@Override
	public java.sql.NClob createNClob() throws SQLException {
		return this.delegate.createNClob();
	}

	@Override
	public java.sql.SQLXML createSQLXML() throws SQLException {
		return this.delegate.createSQLXML();
	}

	@Override
	public boolean isValid(int timeout) throws SQLException {
		return this.delegate.isValid(timeout);
	}

	@Override
	public String getClientInfo(String name) throws SQLException {
		return this.delegate.getClientInfo(name);
	}

	@Override
	public Properties getClientInfo() throws SQLException {
		return this.delegate.getClientInfo();
	}

	@Override
	public java.sql.Array createArrayOf(String typeName, Object[] elements) throws SQLException {
		return this.delegate.createArrayOf(typeName, elements);
	}

	@Override
	public java.sql.Struct createStruct(String typeName, Object[] attributes) throws SQLException {
		return this.delegate.createStruct(typeName, attributes);
	}

	@Override
	public void setSchema(String schema) throws SQLException {
		this.delegate.setSchema(schema);
	}

	@Override
	public String getSchema() throws SQLException {
		return this.delegate.getSchema();
	}

	@Override
	public void abort(Executor executor) throws SQLException {
		this.delegate.abort(executor);
	}

	@Override
	public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
		this.delegate.setNetworkTimeout(executor, milliseconds);
	}

	@Override
	public int getNetworkTimeout() throws SQLException {
		return this.delegate.getNetworkTimeout();
	}

}
