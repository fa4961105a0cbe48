package dev.dbpool.datasource;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Array;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;

import dev.dbpool.common.ForwardingConnection;
import org.jspecify.annotations.Nullable;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * A pgjdbc connection whose isolation level and read-only flag apply to each transaction
 * and never to the session, for PgBouncer in transaction mode. pgjdbc's
 * {@code setTransactionIsolation} sends {@code SET SESSION CHARACTERISTICS} as a
 * statement of its own, which PgBouncer may run on another server connection than the
 * transaction that follows (pgjdbc issues #848 and #1880). Here the level and the flag
 * are only recorded. Whenever something is about to reach the server with auto-commit off
 * and no transaction open (a statement's {@code execute...}, whenever it was created; a
 * savepoint; the driver's metadata and type queries; an updatable result set's row
 * change; the driver's own connection handed out by {@code unwrap}) and they differ from
 * the server's defaults, {@code SET TRANSACTION ISOLATION LEVEL ... READ ONLY} goes out
 * first, in the same round trip as pgjdbc's {@code BEGIN}. A transaction that began
 * anyhow else, at the wrong level, fails its next statement instead of running on.
 * {@link #getTransactionIsolation()} answers what the transaction runs at, without asking
 * whichever server connection PgBouncer picks. HikariCP and Spring reset the level and
 * the flag after each use; those resets cost nothing here.
 * <p>
 * Built under HikariCP, per physical connection, so that HikariCP's own reset and every
 * wrapper above it (observation) go through it, and nothing above needs to know.
 */
final class TransactionScopedConnection implements ForwardingConnection {

	private static final String APPLICATION_NAME = "ApplicationName";

	private static final Class<?>[] STATEMENT = { Statement.class };

	private static final Class<?>[] PREPARED_STATEMENT = { PreparedStatement.class };

	private static final Class<?>[] CALLABLE_STATEMENT = { CallableStatement.class };

	private static final Class<?>[] RESULT_SET = { ResultSet.class };

	private static final Class<?>[] METADATA = { DatabaseMetaData.class };

	private final Connection delegate;

	private final BaseConnection driver;

	private final int defaultIsolation;

	private final SessionStateStatements sessionState;

	private final ReadOnlyMode readOnlyMode;

	private int isolation;

	private boolean readOnly;

	private boolean autoCommit;

	/**
	 * Whether the transaction open on the server, if any, was begun here with its
	 * characteristics.
	 */
	private boolean scoped;

	TransactionScopedConnection(Connection delegate, int defaultIsolation, SessionStateStatements sessionState,
			ReadOnlyMode readOnlyMode) throws SQLException {
		this.delegate = delegate;
		this.driver = delegate.unwrap(BaseConnection.class);
		this.defaultIsolation = defaultIsolation;
		this.isolation = defaultIsolation;
		this.sessionState = sessionState;
		this.readOnlyMode = readOnlyMode;
		this.autoCommit = delegate.getAutoCommit();
	}

	@Override
	public Connection delegate() {
		return this.delegate;
	}

	@Override
	public void setTransactionIsolation(int level) throws SQLException {
		requireNoTransaction("isolation level");
		if (isolationName(level) == null) {
			throw new SQLException("Transaction isolation level " + level + " not supported.", "0A000");
		}
		this.isolation = level;
	}

	@Override
	public int getTransactionIsolation() throws SQLException {
		checkOpen();
		return this.isolation;
	}

	@Override
	public void setReadOnly(boolean readOnly) throws SQLException {
		requireNoTransaction("read-only property");
		this.readOnly = readOnly;
	}

	@Override
	public boolean isReadOnly() throws SQLException {
		checkOpen();
		return this.readOnly;
	}

	@Override
	public void setAutoCommit(boolean autoCommit) throws SQLException {
		this.delegate.setAutoCommit(autoCommit);
		if (autoCommit != this.autoCommit) {
			// pgjdbc ends the open transaction; the same value again changes nothing.
			this.autoCommit = autoCommit;
			this.scoped = false;
		}
	}

	@Override
	public void commit() throws SQLException {
		this.scoped = false;
		this.delegate.commit();
	}

	@Override
	public void rollback() throws SQLException {
		this.scoped = false;
		this.delegate.rollback();
	}

	/**
	 * pgjdbc sends {@code SET application_name} for {@code ApplicationName}, which stays
	 * on whichever server connection runs it (PgBouncer 1.18 was seen handing it to
	 * another client): checked like a session {@code SET}. Other names do not reach the
	 * server.
	 */
	@Override
	public void setClientInfo(String name, String value) throws SQLClientInfoException {
		if (APPLICATION_NAME.equals(name)) {
			checkApplicationName();
		}
		this.delegate.setClientInfo(name, value);
	}

	@Override
	public void setClientInfo(Properties properties) throws SQLClientInfoException {
		if (properties.containsKey(APPLICATION_NAME)) {
			checkApplicationName();
		}
		this.delegate.setClientInfo(properties);
	}

	private void checkApplicationName() throws SQLClientInfoException {
		try {
			this.sessionState.checkCall("Connection.setClientInfo",
					"(ApplicationName) sets application_name for the session, which stays on a server connection that "
							+ "other clients get next: name the application once for all its connections, with "
							+ "application_name in the URL or db.pool.application-name");
		}
		catch (SQLException ex) {
			throw new SQLClientInfoException(ex.getMessage(), ex.getSQLState(), Map.of(), ex);
		}
	}

	/**
	 * pgjdbc sends {@code SET SESSION search_path}, which stays on whichever server
	 * connection runs it: checked like a session {@code SET}, and begun as a statement of
	 * the transaction when auto-commit is off, as pgjdbc runs it.
	 */
	@Override
	public void setSchema(String schema) throws SQLException {
		this.sessionState.checkCall("Connection.setSchema",
				"sets search_path for the session, which stays on a server connection that other clients get next and "
						+ "is missing from the next transaction of this one: use schema-qualified names, or set "
						+ "search_path for the role (ALTER ROLE ... SET search_path) or in PgBouncer's connect_query");
		beforeDriverQuery();
		this.delegate.setSchema(schema);
	}

	@Override
	public java.sql.Savepoint setSavepoint() throws SQLException {
		beforeDriverQuery();
		return this.delegate.setSavepoint();
	}

	@Override
	public java.sql.Savepoint setSavepoint(String name) throws SQLException {
		beforeDriverQuery();
		return this.delegate.setSavepoint(name);
	}

	/** The driver looks the element type up, a query that begins the transaction. */
	@Override
	public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
		beforeDriverQuery();
		return this.delegate.createArrayOf(typeName, elements);
	}

	@Override
	public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
		beforeDriverQuery();
		return this.delegate.createStruct(typeName, attributes);
	}

	/** Metadata whose queries begin the transaction with its characteristics. */
	@Override
	public DatabaseMetaData getMetaData() throws SQLException {
		return (DatabaseMetaData) Proxy.newProxyInstance(TransactionScopedConnection.class.getClassLoader(), METADATA,
				new ScopedMetaData(this.delegate.getMetaData()));
	}

	/**
	 * The driver's own connection (large objects, COPY, fastpath) begins transactions
	 * without this wrapper: with auto-commit off, a pending transaction is begun here,
	 * with its characteristics, so that what follows inside it runs as asked, and the
	 * first such unwrap is warned about.
	 */
	@Override
	public <T> T unwrap(Class<T> iface) throws SQLException {
		if (iface.isInstance(this)) {
			return iface.cast(this);
		}
		if (iface.isInstance(this.delegate)) {
			if (this.autoCommit) {
				return iface.cast(this.delegate);
			}
			this.sessionState.warnOnce("unwrap", "Connection.unwrap(" + iface.getSimpleName()
					+ ") hands out the driver's own connection: what runs "
					+ "on it directly (large objects, COPY, fastpath) is not seen by the starter. A transaction "
					+ "waiting to begin is begun at the unwrap with its isolation level and read-only flag; "
					+ "unwrap inside each transaction, after setting them, and do not keep the driver's "
					+ "connection across transactions");
			beforeDriverQuery();
			return iface.cast(this.delegate);
		}
		return this.delegate.unwrap(iface);
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) throws SQLException {
		return iface.isInstance(this) || iface.isInstance(this.delegate) || this.delegate.isWrapperFor(iface);
	}

	@Override
	public String toString() {
		return "TransactionScopedConnection[" + this.delegate + "]";
	}

	/**
	 * Before a statement is executed: the transaction begins with its characteristics. In
	 * auto-commit a level other than the default cannot apply (it would take a session
	 * SET): said once.
	 */
	void beforeStatement() throws SQLException {
		if (this.autoCommit) {
			if (this.readOnly && this.readOnlyMode == ReadOnlyMode.ALWAYS) {
				this.sessionState.warnOnce("auto-commit read-only", "a statement ran in auto-commit on a read-only "
						+ "connection with pgjdbc's readOnlyMode=always: it is not read-only, because behind a "
						+ "transaction pooler read-only applies to transactions only (pgjdbc's session SET would land "
						+ "on another server connection). Run it in a read-only transaction (setAutoCommit(false), "
						+ "@Transactional(readOnly = true))");
			}
			if (this.isolation != this.defaultIsolation) {
				this.sessionState.warnOnce("auto-commit",
						"a statement ran in auto-commit on a connection set to " + isolationName(this.isolation)
								+ ": it runs at the server's default level (" + isolationName(this.defaultIsolation)
								+ "), because behind a transaction pooler the level "
								+ "applies to transactions only (pgjdbc's session SET would land on another server "
								+ "connection). Run it in a transaction (setAutoCommit(false), @Transactional), or set "
								+ "default_transaction_isolation for the role (ALTER ROLE ... SET)");
			}
			return;
		}
		beginTransaction();
	}

	/** Before the driver may run a query of its own, which begins a transaction. */
	void beforeDriverQuery() throws SQLException {
		if (!this.autoCommit) {
			beginTransaction();
		}
	}

	private void beginTransaction() throws SQLException {
		if (this.isolation == this.defaultIsolation && !readOnlyTransaction()) {
			// The server's defaults: however the transaction begins, it runs as asked.
			return;
		}
		if (this.driver.getTransactionState() == TransactionState.IDLE) {
			try (Statement statement = this.delegate.createStatement()) {
				statement.execute(characteristics());
			}
			this.scoped = true;
			return;
		}
		if (!this.scoped) {
			// Until it is rolled back: every statement of it would run at the wrong
			// level.
			throw new SQLException("This transaction began outside the connection's statements, at the server "
					+ "connection's own level, not at " + describe() + " as asked: behind a transaction pooler the "
					+ "level and read-only flag can only be applied when the transaction begins. Something used the "
					+ "driver's connection kept from an earlier unwrap(PGConnection.class) (COPY, large objects, "
					+ "fastpath), or a driver query ran first. Roll back, and begin the transaction with a statement "
					+ "(or unwrap inside it) before using the driver's connection.", "25000");
		}
	}

	/**
	 * {@code SET TRANSACTION ...} for the recorded level and flag, where they differ from
	 * the defaults.
	 */
	private String characteristics() {
		StringBuilder sql = new StringBuilder("SET TRANSACTION");
		if (this.isolation != this.defaultIsolation) {
			sql.append(" ISOLATION LEVEL ").append(isolationName(this.isolation));
		}
		if (readOnlyTransaction()) {
			sql.append(" READ ONLY");
		}
		return sql.toString();
	}

	/** As pgjdbc: read-only unless its readOnlyMode is ignore. */
	private boolean readOnlyTransaction() {
		return this.readOnly && this.readOnlyMode != ReadOnlyMode.IGNORE;
	}

	private String describe() {
		return isolationName(this.isolation) + (readOnlyTransaction() ? " READ ONLY" : "");
	}

	/** As pgjdbc: not while a transaction is open on the server, however it began. */
	private void requireNoTransaction(String what) throws SQLException {
		checkOpen();
		if (this.driver.getTransactionState() != TransactionState.IDLE) {
			throw new SQLException("Cannot change transaction " + what + " in the middle of a transaction.", "25001");
		}
		this.scoped = false;
	}

	private void checkOpen() throws SQLException {
		if (this.delegate.isClosed()) {
			throw new SQLException("This connection has been closed.", "08003");
		}
	}

	@SuppressWarnings("unchecked")
	private <S extends Statement> S scope(S statement, Class<?>[] type, int concurrency) {
		return (S) Proxy.newProxyInstance(TransactionScopedConnection.class.getClassLoader(), type,
				new ScopedStatement(statement, concurrency == ResultSet.CONCUR_UPDATABLE));
	}

	/** pgjdbc's {@code readOnlyMode}: what {@code setReadOnly(true)} applies to. */
	enum ReadOnlyMode {

		/** Nothing: the flag is only reported. */
		IGNORE,

		/** Transactions (pgjdbc's default). */
		TRANSACTION,

		/** Transactions, and in pgjdbc also auto-commit statements (a session SET). */
		ALWAYS;

		/**
		 * The mode pgjdbc takes from a connection property value.
		 * @param value the property value, {@code null} when not set
		 * @return the mode; pgjdbc's default for {@code null} or an unknown value
		 */
		static ReadOnlyMode of(@Nullable String value) {
			if (value != null) {
				for (ReadOnlyMode mode : values()) {
					if (mode.name().equalsIgnoreCase(value.trim())) {
						return mode;
					}
				}
			}
			return TRANSACTION;
		}

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

	private static @Nullable Object forward(Object target, Method method, @Nullable Object @Nullable [] args)
			throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

	/**
	 * Every {@code execute...} begins the transaction first, whenever the statement was
	 * created; SQL handed to {@code execute...} and {@code addBatch} is checked for
	 * session state; parameters whose type the driver may look up ({@code setObject},
	 * {@code setArray}, {@code setNull} by type name) begin it too. Result sets of an
	 * updatable statement are scoped as well.
	 */
	private final class ScopedStatement implements InvocationHandler {

		private final Statement delegate;

		private final boolean updatable;

		ScopedStatement(Statement delegate, boolean updatable) {
			this.delegate = delegate;
			this.updatable = updatable;
		}

		@Override
		public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args)
				throws Throwable {
			String name = method.getName();
			if (name.startsWith("execute")) {
				if (args != null && args.length > 0 && args[0] instanceof String sql) {
					TransactionScopedConnection.this.sessionState.check(sql);
				}
				beforeStatement();
			}
			else if (name.equals("addBatch") && args != null && args.length > 0 && args[0] instanceof String sql) {
				TransactionScopedConnection.this.sessionState.check(sql);
			}
			else if (name.equals("setObject") || name.equals("setArray")
					|| (name.equals("setNull") && args != null && args.length == 3)) {
				beforeDriverQuery();
			}
			else if (name.equals("getConnection")) {
				return TransactionScopedConnection.this;
			}
			else if (name.equals("unwrap") && args != null && args[0] instanceof Class<?> iface) {
				// A JDBC interface stays scoped; the driver's own statement is the
				// driver's.
				if (iface.isInstance(proxy)) {
					return proxy;
				}
				if (iface.isInstance(this.delegate)) {
					return this.delegate;
				}
			}
			else if (name.equals("isWrapperFor") && args != null && args[0] instanceof Class<?> iface
					&& (iface.isInstance(proxy) || iface.isInstance(this.delegate))) {
				return true;
			}
			Object result = forward(this.delegate, method, args);
			if (this.updatable && result instanceof ResultSet resultSet) {
				return Proxy.newProxyInstance(TransactionScopedConnection.class.getClassLoader(), RESULT_SET,
						new ScopedResultSet(resultSet, (Statement) proxy));
			}
			return result;
		}

	}

	/**
	 * An updatable result set changes rows with statements of its own, and looks the
	 * table's key up first, which begin the transaction with its characteristics (the
	 * result set may be from an earlier one).
	 */
	private final class ScopedResultSet implements InvocationHandler {

		private final ResultSet delegate;

		private final Statement statement;

		ScopedResultSet(ResultSet delegate, Statement statement) {
			this.delegate = delegate;
			this.statement = statement;
		}

		@Override
		public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args)
				throws Throwable {
			String name = method.getName();
			switch (name) {
				case "updateRow", "insertRow", "deleteRow", "refreshRow" -> beforeStatement();
				case "getStatement" -> {
					return this.statement;
				}
				default -> {
					// The first change looks the table's primary key up.
					if (name.startsWith("update") || name.equals("moveToInsertRow")) {
						beforeDriverQuery();
					}
				}
			}
			return forward(this.delegate, method, args);
		}

	}

	/**
	 * The driver's metadata queries begin the transaction when auto-commit is off: those
	 * that answer with rows, and the few numbers and keyword lists it reads from the
	 * server.
	 */
	private final class ScopedMetaData implements InvocationHandler {

		private final DatabaseMetaData delegate;

		ScopedMetaData(DatabaseMetaData delegate) {
			this.delegate = delegate;
		}

		@Override
		public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args)
				throws Throwable {
			String name = method.getName();
			if (name.equals("getConnection")) {
				return TransactionScopedConnection.this;
			}
			if (method.getReturnType() == ResultSet.class || name.startsWith("getMax") || name.equals("getSQLKeywords")
					|| name.equals("getDefaultTransactionIsolation")) {
				beforeDriverQuery();
			}
			return forward(this.delegate, method, args);
		}

	}

	@Override
	public Statement createStatement() throws SQLException {
		return scope(this.delegate.createStatement(), STATEMENT, ResultSet.CONCUR_READ_ONLY);
	}

	@Override
	public PreparedStatement prepareStatement(String sql) throws SQLException {
		this.sessionState.check(sql);
		return scope(this.delegate.prepareStatement(sql), PREPARED_STATEMENT, ResultSet.CONCUR_READ_ONLY);
	}

	@Override
	public CallableStatement prepareCall(String sql) throws SQLException {
		this.sessionState.check(sql);
		return scope(this.delegate.prepareCall(sql), CALLABLE_STATEMENT, ResultSet.CONCUR_READ_ONLY);
	}

	@Override
	public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
		return scope(this.delegate.createStatement(resultSetType, resultSetConcurrency), STATEMENT,
				resultSetConcurrency);
	}

	@Override
	public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
			throws SQLException {
		this.sessionState.check(sql);
		return scope(this.delegate.prepareStatement(sql, resultSetType, resultSetConcurrency), PREPARED_STATEMENT,
				resultSetConcurrency);
	}

	@Override
	public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
		this.sessionState.check(sql);
		return scope(this.delegate.prepareCall(sql, resultSetType, resultSetConcurrency), CALLABLE_STATEMENT,
				resultSetConcurrency);
	}

	@Override
	public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
			throws SQLException {
		return scope(this.delegate.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability),
				STATEMENT, resultSetConcurrency);
	}

	@Override
	public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
			int resultSetHoldability) throws SQLException {
		this.sessionState.check(sql);
		return scope(this.delegate.prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability),
				PREPARED_STATEMENT, resultSetConcurrency);
	}

	@Override
	public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
			int resultSetHoldability) throws SQLException {
		this.sessionState.check(sql);
		return scope(this.delegate.prepareCall(sql, resultSetType, resultSetConcurrency, resultSetHoldability),
				CALLABLE_STATEMENT, resultSetConcurrency);
	}

	@Override
	public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
		this.sessionState.check(sql);
		return scope(this.delegate.prepareStatement(sql, autoGeneratedKeys), PREPARED_STATEMENT,
				ResultSet.CONCUR_READ_ONLY);
	}

	@Override
	public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
		this.sessionState.check(sql);
		return scope(this.delegate.prepareStatement(sql, columnIndexes), PREPARED_STATEMENT,
				ResultSet.CONCUR_READ_ONLY);
	}

	@Override
	public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
		this.sessionState.check(sql);
		return scope(this.delegate.prepareStatement(sql, columnNames), PREPARED_STATEMENT, ResultSet.CONCUR_READ_ONLY);
	}

}
