import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;

/**
 * Writes the plain-forwarding interfaces of {@code dev.dbpool.common} (every wrapper of the
 * starter mixes them in) and the parameter-capture interfaces of {@code dev.dbpool.observe}
 * from the JDBC interfaces of the running JDK (run it with the baseline JDK, 17):
 *
 * <pre>
 * unzip -q $JAVA_HOME/lib/src.zip 'java.sql/*' -d /tmp/jdk-src
 * java ops/ForwardingGenerator.java /tmp/jdk-src/java.sql pool-autoconfigure/src/main/java
 * </pre>
 *
 * Parameter names come from the JDK sources, which reflection does not keep. The output is
 * then formatted by the build (spring-javaformat). The generated files are never edited
 * by hand: change this program and run it again.
 */
public class ForwardingGenerator {

	private static final String FORWARDING_PACKAGE = "dev.dbpool.common";

	private static final String CAPTURE_PACKAGE = "dev.dbpool.observe";

	static final Pattern QUALIFIED = Pattern.compile("\\b((?:[a-z][a-z0-9]*\\.)+)([A-Z]\\w*)");

	final Path sources;

	final Path out;

	ForwardingGenerator(Path sources, Path out) {
		this.sources = sources;
		this.out = out;
	}

	public static void main(String[] args) throws Exception {
		ForwardingGenerator generator = new ForwardingGenerator(Path.of(args[0]), Path.of(args[1]));
		generator.forwarding("ForwardingDataSource", javax.sql.DataSource.class, List.of(), List.of(
				javax.sql.DataSource.class, javax.sql.CommonDataSource.class, java.sql.Wrapper.class));
		generator.forwarding("ForwardingConnection", java.sql.Connection.class, List.of(),
				List.of(java.sql.Connection.class, java.sql.Wrapper.class, AutoCloseable.class));
		generator.forwarding("ForwardingStatement", java.sql.Statement.class, List.of(),
				List.of(java.sql.Statement.class, java.sql.Wrapper.class, AutoCloseable.class));
		generator.forwarding("ForwardingPreparedStatement", java.sql.PreparedStatement.class,
				List.of("ForwardingStatement"), List.of(java.sql.PreparedStatement.class));
		generator.forwarding("ForwardingCallableStatement", java.sql.CallableStatement.class,
				List.of("ForwardingPreparedStatement"), List.of(java.sql.CallableStatement.class));
		generator.forwarding("ForwardingResultSet", java.sql.ResultSet.class, List.of(),
				List.of(java.sql.ResultSet.class, java.sql.Wrapper.class, AutoCloseable.class));
		generator.capturing("PreparedParameterCapture", java.sql.PreparedStatement.class,
				List.of("ForwardingPreparedStatement"), int.class);
		generator.capturing("CallableParameterCapture", java.sql.CallableStatement.class,
				List.of("ForwardingCallableStatement", "PreparedParameterCapture"), String.class);
	}

	void forwarding(String name, Class<?> iface, List<String> extraSupers, List<Class<?>> declaring)
			throws IOException {
		Map<String, List<String>> names = parameterNames(declaring);
		Imports imports = new Imports();
		imports.add(iface.getName());
		StringBuilder body = new StringBuilder();
		body.append("\t/** The object every call is forwarded to. */\n");
		body.append("\t").append(iface.getSimpleName()).append(" delegate();\n\n");
		for (Method method : methods(iface, declaring)) {
			if (method.getName().equals("close") && method.getDeclaringClass() == AutoCloseable.class
					&& hasOwnClose(iface)) {
				continue;
			}
			body.append(signature(method, names, imports));
			body.append(" {\n\t\t");
			body.append(call(method, "delegate()", names));
			body.append("\n\t}\n\n");
		}
		String supers = join(iface.getSimpleName(), extraSupers);
		write(FORWARDING_PACKAGE, true, name, imports, "Plain forwarding of every {@link " + iface.getSimpleName()
				+ "} method to {@link #delegate()}, nothing else.", supers, body);
	}

	void capturing(String name, Class<?> iface, List<String> supers, Class<?> keyType) throws IOException {
		Map<String, List<String>> names = parameterNames(List.of(iface));
		Imports imports = new Imports();
		StringBuilder body = new StringBuilder();
		body.append("\t/** Where the bind parameters are recorded. */\n");
		body.append("\tParameterValues parameters();\n\n");
		for (Method method : methods(iface, List.of(iface))) {
			Class<?>[] types = method.getParameterTypes();
			if (!method.getName().startsWith("set") || types.length < 2 || types[0] != keyType) {
				continue;
			}
			List<String> parameterNames = names(method, names);
			body.append(signature(method, names, imports));
			body.append(" {\n\t\t");
			body.append(call(method, "delegate()", names));
			String value = method.getName().equals("setNull") ? "null" : parameterNames.get(1);
			body.append("\n\t\tparameters().set(").append(parameterNames.get(0)).append(", ").append(value)
				.append(");\n\t}\n\n");
		}
		for (String forwarding : supers) {
			if (forwarding.startsWith("Forwarding")) {
				imports.add(FORWARDING_PACKAGE + "." + forwarding);
			}
		}
		write(CAPTURE_PACKAGE, false, name, imports, "Bind-parameter capture for the slow-query log: each {@code set} call of {@link "
				+ iface.getSimpleName() + "} is forwarded, then its value recorded. Mixed in only by the statements "
				+ "created while capture is on.", String.join(", ", supers), body);
	}

	static boolean hasOwnClose(Class<?> iface) {
		try {
			return iface.getMethod("close").getDeclaringClass() != AutoCloseable.class;
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
	}

	static String join(String first, List<String> rest) {
		List<String> all = new ArrayList<>(rest);
		all.add(first);
		return String.join(", ", all);
	}

	List<Method> methods(Class<?> iface, List<Class<?>> declaring) {
		Map<String, Method> unique = new HashMap<>();
		for (Method method : iface.getMethods()) {
			if (Modifier.isStatic(method.getModifiers()) || !declaring.contains(method.getDeclaringClass())) {
				continue;
			}
			String key = method.getName() + Arrays.toString(method.getParameterTypes());
			Method known = unique.get(key);
			if (known == null || known.getDeclaringClass().isAssignableFrom(method.getDeclaringClass())) {
				unique.put(key, method);
			}
		}
		List<Method> sorted = new ArrayList<>(unique.values());
		sorted.sort(Comparator.comparing(Method::getName).thenComparing((m) -> Arrays.toString(m.getParameterTypes())));
		return sorted;
	}

	String signature(Method method, Map<String, List<String>> names, Imports imports) {
		StringBuilder out = new StringBuilder();
		if (method.isAnnotationPresent(Deprecated.class)) {
			out.append("\t@Deprecated\n");
		}
		out.append("\t@Override\n");
		out.append("\tdefault ");
		TypeVariable<Method>[] typeParameters = method.getTypeParameters();
		if (typeParameters.length > 0) {
			out.append('<')
				.append(Arrays.stream(typeParameters).map(TypeVariable::getName).collect(Collectors.joining(", ")))
				.append("> ");
		}
		out.append(imports.simple(method.getGenericReturnType())).append(' ').append(method.getName()).append('(');
		Type[] types = method.getGenericParameterTypes();
		List<String> parameterNames = names(method, names);
		for (int i = 0; i < types.length; i++) {
			if (i > 0) {
				out.append(", ");
			}
			String type = imports.simple(types[i]);
			if (method.isVarArgs() && i == types.length - 1) {
				type = type.substring(0, type.length() - 2) + "...";
			}
			out.append(type).append(' ').append(parameterNames.get(i));
		}
		out.append(')');
		if (method.getExceptionTypes().length > 0) {
			out.append(" throws ")
				.append(Arrays.stream(method.getExceptionTypes())
					.map((type) -> imports.simple(type))
					.collect(Collectors.joining(", ")));
		}
		return out.toString();
	}

	String call(Method method, String target, Map<String, List<String>> names) {
		String arguments = String.join(", ", names(method, names));
		String invocation = target + "." + method.getName() + "(" + arguments + ");";
		return (method.getReturnType() == void.class) ? invocation : "return " + invocation;
	}

	static List<String> names(Method method, Map<String, List<String>> names) {
		List<String> known = names.get(key(method.getName(),
				Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).toList()));
		if (known != null) {
			return known;
		}
		List<String> fallback = new ArrayList<>();
		for (int i = 0; i < method.getParameterCount(); i++) {
			fallback.add("arg" + i);
		}
		return fallback;
	}

	static String key(String name, List<String> simpleTypes) {
		return name + simpleTypes;
	}

	/** Parameter names of every method declared in the given interfaces' sources. */
	Map<String, List<String>> parameterNames(List<Class<?>> declaring) throws IOException {
		Map<String, List<String>> names = new HashMap<>();
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		var files = compiler.getStandardFileManager(null, null, null);
		for (Class<?> type : declaring) {
			Path source = this.sources.resolve(type.getName().replace('.', '/') + ".java");
			if (!Files.exists(source)) {
				continue;
			}
			JavacTask task = (JavacTask) compiler.getTask(null, files, null, null, null,
					files.getJavaFileObjects(source));
			for (CompilationUnitTree unit : task.parse()) {
				for (Tree declaration : unit.getTypeDecls()) {
					for (Tree member : ((ClassTree) declaration).getMembers()) {
						if (member instanceof MethodTree method) {
							List<String> types = new ArrayList<>();
							List<String> parameterNames = new ArrayList<>();
							for (VariableTree parameter : method.getParameters()) {
								String typeName = parameter.getType().toString().replaceAll("<.*>", "");
								typeName = typeName.substring(typeName.lastIndexOf('.') + 1);
								types.add(typeName);
								parameterNames.add(parameter.getName().toString());
							}
							names.put(key(method.getName().toString(), types), parameterNames);
						}
					}
				}
			}
		}
		return names;
	}

	void write(String packageName, boolean exported, String name, Imports imports, String javadoc, String supers,
			StringBuilder body) throws IOException {
		StringBuilder file = new StringBuilder();
		file.append("package ").append(packageName).append(";\n\n");
		file.append(imports.render());
		file.append("/**\n * ").append(javadoc).append("\n * <p>\n");
		file.append(" * Generated by {@code ops/ForwardingGenerator.java} from the JDK's JDBC interfaces; never edited\n");
		file.append(" * by hand. An interface of default methods, so that each wrapper mixes in exactly the\n");
		file.append(" * forwarding it needs below the behaviour it adds (a class method always wins).\n");
		file.append(" */\n");
		// The forwarding interfaces are mixed in by wrappers of several packages, and a public
		// wrapper must not inherit public methods from a type its callers cannot see:
		// reflective callers (Jackson, bean introspection) would fail.
		file.append(exported ? "public interface " : "interface ").append(name).append(" extends ").append(supers).append(" {\n\n");
		file.append(body.toString().stripTrailing()).append("\n\n}\n");
		Path directory = this.out.resolve(packageName.replace('.', '/'));
		Files.writeString(directory.resolve(name + ".java"), file);
	}

	static final class Imports {

		final Set<String> names = new TreeSet<>();

		void add(String qualified) {
			if (!qualified.startsWith("java.lang.") || qualified.substring(10).contains(".")) {
				this.names.add(qualified);
			}
		}

		String simple(Type type) {
			String name = (type instanceof Class<?> c) ? c.getCanonicalName() : type.getTypeName();
			Matcher matcher = QUALIFIED.matcher(name);
			StringBuilder result = new StringBuilder();
			while (matcher.find()) {
				add(matcher.group(1) + matcher.group(2));
				matcher.appendReplacement(result, matcher.group(2));
			}
			matcher.appendTail(result);
			return result.toString();
		}

		String render() {
			Set<String> java = new LinkedHashSet<>();
			Set<String> javax = new LinkedHashSet<>();
			Set<String> project = new LinkedHashSet<>();
			for (String name : this.names) {
				if (name.startsWith("javax.")) {
					javax.add(name);
				}
				else if (name.startsWith("dev.dbpool.")) {
					project.add(name);
				}
				else {
					java.add(name);
				}
			}
			StringBuilder out = new StringBuilder();
			for (Set<String> group : List.of(java, javax, project)) {
				for (String name : group) {
					out.append("import ").append(name).append(";\n");
				}
				if (!group.isEmpty()) {
					out.append('\n');
				}
			}
			return out.toString();
		}

	}

}
