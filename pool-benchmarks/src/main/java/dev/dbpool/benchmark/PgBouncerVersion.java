package dev.dbpool.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The version of a PgBouncer binary, and whether it can keep prepared statements in
 * transaction mode ({@code max_prepared_statements}, PgBouncer 1.21 and later).
 */
final class PgBouncerVersion {

	private static final Pattern VERSION = Pattern.compile("PgBouncer (\\d+)\\.(\\d+)(?:\\.(\\d+))?");

	private PgBouncerVersion() {
	}

	/** {@code pgbouncer --version}, e.g. {@code 1.18.0}. */
	static String ofBinary(Path binary) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		process.waitFor();
		Matcher matcher = VERSION.matcher(output);
		if (!matcher.find()) {
			throw new IllegalStateException(binary + " --version printed no PgBouncer version: " + output.strip());
		}
		return matcher.group(1) + "." + matcher.group(2) + "." + ((matcher.group(3) != null) ? matcher.group(3) : "0");
	}

	/** Whether this version has {@code max_prepared_statements}. */
	static boolean keepsPreparedStatements(String version) {
		String[] parts = version.split("\\.");
		int major = Integer.parseInt(parts[0]);
		int minor = Integer.parseInt(parts[1]);
		return major > 1 || (major == 1 && minor >= 21);
	}

	static String describe(String version) {
		return keepsPreparedStatements(version)
				? "has max_prepared_statements: prepared statements work in transaction mode when it is set above 0"
				: "before 1.21, no max_prepared_statements: transaction mode needs prepareThreshold=0";
	}

}
