package dev.dbpool.observe;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import javax.sql.DataSource;

import net.ttddyy.dsproxy.ConnectionInfo;
import net.ttddyy.dsproxy.proxy.JdbcProxyFactory;
import net.ttddyy.dsproxy.proxy.ProxyConfig;

/**
 * Benchmark variant: datasource-proxy's {@code ProxyDataSource} with its pluggable proxy
 * factory creating our hand-written delegates instead of JDK proxies.
 */
final class ObservedJdbcProxyFactory implements JdbcProxyFactory {

	private final QueryObserver observer;

	private final Instrumentation instrumentation;

	ObservedJdbcProxyFactory(QueryObserver observer) {
		this.observer = observer;
		this.instrumentation = TimedInstrumentation.INSTANCE;
	}

	@Override
	public DataSource createDataSource(DataSource dataSource, ProxyConfig proxyConfig) {
		return new ObservedDataSource(dataSource, this.observer);
	}

	@Override
	public Connection createConnection(Connection connection, ConnectionInfo connectionInfo, ProxyConfig proxyConfig) {
		return new ObservedConnection(connection, this.observer, this.instrumentation,
				ParameterCapture.of(this.observer.capturesParameters()));
	}

	@Override
	public Statement createStatement(Statement statement, ConnectionInfo connectionInfo, Connection proxyConnection,
			ProxyConfig proxyConfig) {
		return new ObservedStatement(statement, (ObservedConnection) proxyConnection, null);
	}

	@Override
	public PreparedStatement createPreparedStatement(PreparedStatement preparedStatement, String query,
			ConnectionInfo connectionInfo, Connection proxyConnection, ProxyConfig proxyConfig, boolean generateKey) {
		return ParameterCapture.of(this.observer.capturesParameters())
			.prepared(preparedStatement, query, (ObservedConnection) proxyConnection);
	}

	@Override
	public CallableStatement createCallableStatement(CallableStatement callableStatement, String query,
			ConnectionInfo connectionInfo, Connection proxyConnection, ProxyConfig proxyConfig) {
		return ParameterCapture.of(this.observer.capturesParameters())
			.callable(callableStatement, query, (ObservedConnection) proxyConnection);
	}

	@Override
	public ResultSet createResultSet(ResultSet resultSet, ConnectionInfo connectionInfo, ProxyConfig proxyConfig) {
		return resultSet;
	}

	@Override
	public ResultSet createGeneratedKeys(ResultSet resultSet, ConnectionInfo connectionInfo, ProxyConfig proxyConfig) {
		return resultSet;
	}

}
