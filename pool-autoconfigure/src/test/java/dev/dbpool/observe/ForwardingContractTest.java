package dev.dbpool.observe;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import javax.sql.DataSource;

import dev.dbpool.common.ForwardingCallableStatement;
import dev.dbpool.common.ForwardingConnection;
import dev.dbpool.common.ForwardingDataSource;
import dev.dbpool.common.ForwardingPreparedStatement;
import dev.dbpool.common.ForwardingResultSet;
import dev.dbpool.common.ForwardingStatement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated forwarding interfaces forward every method of their JDBC interface, with
 * the same arguments, and return what the delegate returned; the capture mixins also
 * record each bound value.
 */
class ForwardingContractTest {

	static Stream<Arguments> forwardingTypes() {
		return Stream.of(forwarding(DataSource.class, (DataSource target) -> (ForwardingDataSource) () -> target),
				forwarding(Connection.class, (Connection target) -> (ForwardingConnection) () -> target),
				forwarding(Statement.class, (Statement target) -> (ForwardingStatement) () -> target),
				forwarding(PreparedStatement.class,
						(PreparedStatement target) -> (ForwardingPreparedStatement) () -> target),
				forwarding(CallableStatement.class,
						(CallableStatement target) -> (ForwardingCallableStatement) () -> target),
				forwarding(ResultSet.class, (ResultSet target) -> (ForwardingResultSet) () -> target));
	}

	private static <T> Arguments forwarding(Class<T> type, Function<T, T> forwardingOf) {
		return Arguments.of(type, forwardingOf);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("forwardingTypes")
	@SuppressWarnings("unchecked")
	<T> void everyMethodIsForwardedUnchanged(Class<T> type, Function<T, T> forwardingOf) throws Exception {
		List<Invocation> seen = new ArrayList<>();
		T target = recording(type, seen);
		T forwarding = forwardingOf.apply(target);
		int checked = 0;
		for (Method method : type.getMethods()) {
			if (Modifier.isStatic(method.getModifiers())) {
				continue;
			}
			seen.clear();
			Object[] arguments = arguments(method);
			Object returned = invoke(method, forwarding, arguments);
			assertThat(seen).as(method.toString()).singleElement().satisfies((invocation) -> {
				assertThat(invocation.method().getName()).isEqualTo(method.getName());
				assertThat(invocation.method().getParameterTypes()).isEqualTo(method.getParameterTypes());
				assertThat(invocation.arguments()).isEqualTo(arguments);
			});
			assertThat(returned).as(method.toString()).isEqualTo(sample(method.getReturnType()));
			checked++;
		}
		assertThat(checked).isGreaterThan(5);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("captureTypes")
	<T extends PreparedStatement> void everySetterIsForwardedAndRecorded(Class<T> type, boolean byName)
			throws Exception {
		List<Invocation> seen = new ArrayList<>();
		T target = recording(type, seen);
		ParameterValues values = new ParameterValues();
		PreparedStatement capturing = (type == CallableStatement.class) ? new CallableParameterCapture() {

			@Override
			public CallableStatement delegate() {
				return (CallableStatement) target;
			}

			@Override
			public ParameterValues parameters() {
				return values;
			}

		} : new PreparedParameterCapture() {

			@Override
			public PreparedStatement delegate() {
				return target;
			}

			@Override
			public ParameterValues parameters() {
				return values;
			}

		};
		int checked = 0;
		for (Method method : type.getMethods()) {
			Class<?>[] types = method.getParameterTypes();
			if (!method.getName().startsWith("set") || types.length < 2
					|| types[0] != (byName ? String.class : int.class)) {
				continue;
			}
			seen.clear();
			values.clear();
			Object[] arguments = arguments(method);
			invoke(method, capturing, arguments);
			assertThat(seen).as(method.toString()).singleElement();
			String rendered = values.render("SELECT ?", 100);
			assertThat(rendered).as(method.toString()).isNotEqualTo("[]");
			checked++;
		}
		assertThat(checked).isGreaterThan(byName ? 30 : 40);
	}

	static Stream<Arguments> captureTypes() {
		return Stream.of(Arguments.of(PreparedStatement.class, false), Arguments.of(CallableStatement.class, false),
				Arguments.of(CallableStatement.class, true));
	}

	private static Object invoke(Method method, Object target, Object[] arguments) throws Exception {
		try {
			return method.invoke(target, arguments);
		}
		catch (InvocationTargetException ex) {
			throw (ex.getCause() instanceof Exception cause) ? cause : ex;
		}
	}

	@SuppressWarnings("unchecked")
	private static <T> T recording(Class<T> type, List<Invocation> seen) {
		return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, (proxy, method, args) -> {
			seen.add(new Invocation(method, (args != null) ? args : new Object[0]));
			return sample(method.getReturnType());
		});
	}

	private static Object[] arguments(Method method) {
		Class<?>[] types = method.getParameterTypes();
		Object[] arguments = new Object[types.length];
		for (int i = 0; i < types.length; i++) {
			arguments[i] = (i == 0 && types[i] == int.class) ? 1 : sample(types[i]);
		}
		return arguments;
	}

	private static Object sample(Class<?> type) {
		if (type == int.class) {
			return 7;
		}
		if (type == long.class) {
			return 7L;
		}
		if (type == boolean.class) {
			return true;
		}
		if (type == short.class) {
			return (short) 7;
		}
		if (type == byte.class) {
			return (byte) 7;
		}
		if (type == double.class) {
			return 7.0;
		}
		if (type == float.class) {
			return 7.0f;
		}
		if (type == String.class) {
			return "value";
		}
		if (type == Object.class) {
			return "object";
		}
		if (type.isArray()) {
			return java.lang.reflect.Array.newInstance(type.getComponentType(), 1);
		}
		return null;
	}

	record Invocation(Method method, Object[] arguments) {

		@Override
		public String toString() {
			return this.method.getName() + Arrays.toString(this.arguments);
		}

	}

}
