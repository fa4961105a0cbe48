package dev.dbpool.observe;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import javax.sql.DataSource;

/** In-memory JDBC objects that answer one row, for measuring a wrapper's own cost. */
final class JdbcStub {

	private JdbcStub() {
	}

	static DataSource dataSource() {
		ResultSet resultSet = stub(ResultSet.class, null, null);
		PreparedStatement statement = stub(PreparedStatement.class, resultSet, null);
		Connection connection = stub(Connection.class, null, statement);
		return stub(DataSource.class, null, connection);
	}

	@SuppressWarnings("unchecked")
	private static <T> T stub(Class<T> type, Object resultSet, Object child) {
		return (T) Proxy.newProxyInstance(JdbcStub.class.getClassLoader(), new Class<?>[] { type },
				(proxy, method, args) -> switch (method.getName()) {
					case "getConnection", "prepareStatement" -> child;
					case "executeQuery" -> resultSet;
					case "next", "isWrapperFor", "isValid" -> true;
					case "getString", "toString" -> "stub";
					case "hashCode" -> System.identityHashCode(proxy);
					case "equals" -> proxy == args[0];
					case "getTransactionIsolation", "getInt" -> 0;
					default -> (method.getReturnType() == boolean.class) ? false
							: (method.getReturnType() == int.class) ? 0 : null;
				});
	}

}
