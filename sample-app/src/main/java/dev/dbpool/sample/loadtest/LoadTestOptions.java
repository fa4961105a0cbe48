package dev.dbpool.sample.loadtest;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;

/**
 * The load test's command line: the seed's options ({@code --concurrent},
 * {@code --duration}, {@code --ramp-up}, {@code --query-type}, {@code --report-file}),
 * pool settings to try, and Spring properties passed through to the application.
 *
 * @param concurrent number of virtual users
 * @param duration how long the test runs, ramp-up included
 * @param rampUp time over which the virtual users start, evenly spread
 * @param queryType what the users run
 * @param reportFile where to write the JSON report, or null for none
 * @param holdTime how long each user keeps its connection after the query
 * @param properties Spring properties for the application ({@code db.pool.*} and others)
 * @param threads what the users run on, or null to follow the application's
 * {@code spring.threads.virtual.enabled}
 */
public record LoadTestOptions(int concurrent, Duration duration, Duration rampUp, QueryType queryType,
		@Nullable Path reportFile, Duration holdTime, Map<String, String> properties, @Nullable ClientThreads threads) {

	static final int MAX_CONCURRENT = 5000;

	static final Duration MAX_DURATION = Duration.ofHours(24);

	static final Duration MAX_HOLD_TIME = Duration.ofSeconds(60);

	static final int MAX_CONNECTION_LIMIT = 1000;

	/** Prefixes of properties passed through to the Spring application as given. */
	static final List<String> PASS_THROUGH_PREFIXES = List.of("db.pool.", "spring.", "logging.");

	/** Help text for {@code --help} and usage errors. */
	public static final String USAGE = """
			Usage: java -jar sample-app.jar loadtest [options]

			  --concurrent N         virtual users, 1 to %d (default 100)
			  --duration D           test duration, ramp-up included (default 60; seconds, or 90s, 2m)
			  --ramp-up D            time over which users start (default 10; at most the duration)
			  --query-type T         simple, complex or mixed (default mixed)
			  --report-file PATH     also write the report as JSON to PATH
			  --hold-time D          keep each connection this long after its query (default 0; 50ms, 1s)
			  --threads T            platform or virtual (Java 21+) threads for the users (default: virtual
			                         when spring.threads.virtual.enabled=true, otherwise platform)
			  --connection-limit N   pool size to try (db.pool.connection-limit)
			  --pool-timeout D       longest wait for a connection (db.pool.pool-timeout; seconds, or 250ms)
			  --db.pool.NAME=VALUE   any other starter property, e.g. --db.pool.url=postgresql://...
			  --spring.NAME=VALUE    any Spring property; --logging.level.NAME=LEVEL for logging
			  --help                 this text

			Runs against DATABASE_URL / db.pool.url when set, otherwise an embedded PostgreSQL.
			Exit code: 0 PASS, 1 FAIL, 2 invalid options, 3 could not run.
			""".formatted(MAX_CONCURRENT);

	/** Defaults of the seed's {@code load-test-connection-pool}. */
	static LoadTestOptions defaults() {
		return new LoadTestOptions(100, Duration.ofSeconds(60), Duration.ofSeconds(10), QueryType.MIXED, null,
				Duration.ZERO, Map.of(), null);
	}

	/**
	 * Parse the options after {@code loadtest}; {@code --name value} and
	 * {@code --name=value} both work.
	 * @param args the arguments
	 * @return the options
	 * @throws InvalidOptionException naming the option, the value and what is allowed
	 */
	public static LoadTestOptions parse(String... args) {
		LoadTestOptions defaults = defaults();
		int concurrent = defaults.concurrent();
		Duration duration = defaults.duration();
		Duration rampUp = defaults.rampUp();
		QueryType queryType = defaults.queryType();
		Path reportFile = null;
		Duration holdTime = defaults.holdTime();
		ClientThreads threads = defaults.threads();
		Map<String, String> properties = new LinkedHashMap<>();
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			if (!arg.startsWith("--") || arg.length() == 2) {
				throw new InvalidOptionException("Unexpected argument '" + arg + "': options start with --, "
						+ "for example --concurrent 100. See --help.");
			}
			int equals = arg.indexOf('=');
			String name = (equals < 0) ? arg.substring(2) : arg.substring(2, equals);
			String option = "--" + name;
			if (isPassThrough(name)) {
				if (equals < 0) {
					if (i + 1 >= args.length) {
						throw new InvalidOptionException("Option " + option + " needs a value: " + option + "=VALUE.");
					}
					properties.put(name, args[++i]);
				}
				else {
					properties.put(name, arg.substring(equals + 1));
				}
				continue;
			}
			if (!isKnown(name)) {
				throw new InvalidOptionException("Unknown option '" + option + "': expected one of --concurrent, "
						+ "--duration, --ramp-up, --query-type, --report-file, --hold-time, --threads, "
						+ "--connection-limit, --pool-timeout, --help, or a property as --db.pool.NAME=VALUE, --spring.NAME=VALUE "
						+ "or --logging.NAME=VALUE.");
			}
			String value;
			if (equals >= 0) {
				value = arg.substring(equals + 1);
			}
			else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
				value = args[++i];
			}
			else {
				throw new InvalidOptionException(
						"Option " + option + " needs a value, for example " + option + " " + example(name) + ".");
			}
			switch (name) {
				case "concurrent" -> concurrent = parseInt(option, value, 1, MAX_CONCURRENT);
				case "duration" -> duration = parseDuration(option, value, Duration.ofSeconds(1), MAX_DURATION,
						"a duration from 1s to 24h (a number of seconds, or with a unit such as 90s or 2m)");
				case "ramp-up" -> rampUp = parseDuration(option, value, Duration.ZERO, MAX_DURATION,
						"a duration from 0 up to the test duration (a number of seconds, or with a unit such as 10s)");
				case "query-type" -> queryType = parseQueryType(option, value);
				case "report-file" -> reportFile = parsePath(option, value);
				case "hold-time" -> holdTime = parseDuration(option, value, Duration.ZERO, MAX_HOLD_TIME,
						"a duration from 0 to 60s (a number of seconds, or with a unit such as 50ms)");
				case "threads" -> threads = parseThreads(option, value);
				case "connection-limit" -> properties.put("db.pool.connection-limit",
						Integer.toString(parseInt(option, value, 1, MAX_CONNECTION_LIMIT)));
				case "pool-timeout" -> properties.put("db.pool.pool-timeout",
						parseDuration(option, value, Duration.ofMillis(1), Duration.ofHours(1),
								"a positive duration (a number of seconds, or with a unit such as 250ms)")
							.toMillis() + "ms");
				default -> throw new IllegalStateException("Unhandled option " + option);
			}
		}
		if (rampUp.compareTo(duration) > 0) {
			throw InvalidOptionException.invalidValue("--ramp-up", format(rampUp),
					"at most the test duration (" + format(duration) + "), so that every user gets to run");
		}
		return new LoadTestOptions(concurrent, duration, rampUp, queryType, reportFile, holdTime, properties, threads);
	}

	/** These options with the users' threads decided. */
	LoadTestOptions withThreads(ClientThreads decided) {
		return new LoadTestOptions(this.concurrent, this.duration, this.rampUp, this.queryType, this.reportFile,
				this.holdTime, this.properties, decided);
	}

	/** Whether the arguments ask for the help text. */
	public static boolean isHelp(String... args) {
		for (String arg : args) {
			if ("--help".equals(arg) || "-h".equals(arg)) {
				return true;
			}
		}
		return false;
	}

	/** The properties as {@code --name=value} arguments for {@code SpringApplication}. */
	public String[] springArguments() {
		List<String> arguments = new ArrayList<>();
		this.properties.forEach((name, value) -> arguments.add("--" + name + "=" + value));
		return arguments.toArray(String[]::new);
	}

	private static boolean isPassThrough(String name) {
		return PASS_THROUGH_PREFIXES.stream().anyMatch(name::startsWith);
	}

	private static boolean isKnown(String name) {
		return List
			.of("concurrent", "duration", "ramp-up", "query-type", "report-file", "hold-time", "threads",
					"connection-limit", "pool-timeout")
			.contains(name);
	}

	private static String example(String name) {
		return switch (name) {
			case "concurrent" -> "100";
			case "query-type" -> "mixed";
			case "threads" -> "virtual";
			case "report-file" -> "report.json";
			case "hold-time", "pool-timeout" -> "250ms";
			case "connection-limit" -> "10";
			default -> "60";
		};
	}

	private static int parseInt(String option, String value, int min, int max) {
		String expected = "a whole number from " + min + " to " + max;
		int number;
		try {
			number = Integer.parseInt(value.trim());
		}
		catch (NumberFormatException ex) {
			throw InvalidOptionException.invalidValue(option, value, expected);
		}
		if (number < min || number > max) {
			throw InvalidOptionException.invalidValue(option, value, expected);
		}
		return number;
	}

	private static Duration parseDuration(String option, String value, Duration min, Duration max, String expected) {
		Duration duration;
		try {
			// A bare number means seconds, as in the seed and in db.pool.pool-timeout.
			duration = DurationStyle.detectAndParse(value.trim(), ChronoUnit.SECONDS);
		}
		catch (IllegalArgumentException ex) {
			throw InvalidOptionException.invalidValue(option, value, expected);
		}
		if (duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
			throw InvalidOptionException.invalidValue(option, value, expected);
		}
		return duration;
	}

	private static QueryType parseQueryType(String option, String value) {
		for (QueryType type : QueryType.values()) {
			if (type.label().equals(value.trim().toLowerCase(Locale.ROOT))) {
				return type;
			}
		}
		throw InvalidOptionException.invalidValue(option, value, "one of " + QueryType.labels());
	}

	private static ClientThreads parseThreads(String option, String value) {
		for (ClientThreads threads : ClientThreads.values()) {
			if (threads.label().equals(value.trim().toLowerCase(Locale.ROOT))) {
				if (threads == ClientThreads.VIRTUAL && !ClientThreads.virtualThreadsAvailable()) {
					throw InvalidOptionException.invalidValue(option, value,
							"platform: virtual threads need Java " + ClientThreads.VIRTUAL_THREADS_SINCE
									+ " or later, and this is Java " + Runtime.version().feature());
				}
				return threads;
			}
		}
		throw InvalidOptionException.invalidValue(option, value, "one of " + ClientThreads.labels());
	}

	private static Path parsePath(String option, String value) {
		if (value.isBlank()) {
			throw InvalidOptionException.invalidValue(option, value, "a file path such as report.json");
		}
		return Path.of(value);
	}

	static String format(Duration duration) {
		if (duration.isZero()) {
			return "0s";
		}
		return (duration.toMillis() % 1000 == 0) ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
	}

}
