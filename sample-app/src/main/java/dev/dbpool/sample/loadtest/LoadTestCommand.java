package dev.dbpool.sample.loadtest;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.dbpool.common.InvalidDbPoolSettingException;
import dev.dbpool.config.DbPoolSettings;
import dev.dbpool.datasource.PoolDataSourceFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

/**
 * {@code java -jar sample-app.jar loadtest ...}: starts the application without its web
 * server, so that the DataSource is the starter's pool configured exactly as in
 * production (plus the pool options given), runs the load, prints and writes the report,
 * and answers with an exit code a deployment can gate on.
 */
public final class LoadTestCommand {

	/** First argument that selects this command. */
	public static final String NAME = "loadtest";

	/** Every criterion passed. */
	public static final int EXIT_PASS = 0;

	/** The run completed and at least one criterion failed. */
	public static final int EXIT_FAIL = 1;

	/** An option or a pool setting is invalid. */
	public static final int EXIT_INVALID_OPTIONS = 2;

	/** The load test could not run: no database, or the report could not be written. */
	public static final int EXIT_ERROR = 3;

	private static final Duration DEFAULT_SLOW_QUERY_THRESHOLD = Duration.ofSeconds(1);

	/** How long shutdown waits for the users' in-flight work before the pool closes. */
	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

	private final Class<?> applicationClass;

	private final PrintStream out;

	private final PrintStream err;

	/**
	 * Create the command.
	 * @param applicationClass the Spring Boot application to start
	 * @param out where progress and the report go
	 * @param err where errors go
	 */
	public LoadTestCommand(Class<?> applicationClass, PrintStream out, PrintStream err) {
		this.applicationClass = applicationClass;
		this.out = out;
		this.err = err;
	}

	/**
	 * Run the load test.
	 * @param args the options after {@code loadtest}
	 * @return the exit code
	 */
	public int run(String... args) {
		if (LoadTestOptions.isHelp(args)) {
			this.out.print(LoadTestOptions.USAGE);
			return EXIT_PASS;
		}
		LoadTestOptions options;
		try {
			options = LoadTestOptions.parse(args);
		}
		catch (InvalidOptionException ex) {
			this.err.println(ex.getMessage());
			this.err.println("Run with --help for every option.");
			return EXIT_INVALID_OPTIONS;
		}
		ConfigurableApplicationContext context;
		try {
			context = application().run(options.springArguments());
		}
		catch (RuntimeException ex) {
			InvalidDbPoolSettingException invalid = findCause(ex, InvalidDbPoolSettingException.class);
			if (invalid != null) {
				// The failure analyzer has printed the details already.
				this.err.println("Invalid pool setting: " + invalid.getMessage());
				return EXIT_INVALID_OPTIONS;
			}
			this.err.println("The load test could not start: " + ex.getMessage());
			return EXIT_ERROR;
		}
		try (context) {
			return run(options, context);
		}
	}

	private int run(LoadTestOptions given, ConfigurableApplicationContext context) {
		// Unless told otherwise, the users run on the threads the application would use.
		LoadTestOptions options = (given.threads() != null) ? given : given.withThreads(
				Threading.VIRTUAL.isActive(context.getEnvironment()) ? ClientThreads.VIRTUAL : ClientThreads.PLATFORM);
		PoolUnderTest pool;
		LoadTestWorkload workload;
		try {
			pool = poolUnderTest(context);
			workload = LoadTestWorkload.prepare(pool.dataSource());
		}
		catch (IllegalStateException ex) {
			this.err.println(ex.getMessage());
			return EXIT_ERROR;
		}
		catch (SQLException ex) {
			this.err.println("Could not create the load-test data: " + ex.getMessage());
			return EXIT_ERROR;
		}
		this.out.printf(
				"Load test: %d virtual users on %s threads for %s (ramp-up %s), query type %s, pool of %d on %s%n",
				options.concurrent(), options.threads().label(), LoadTestOptions.format(options.duration()),
				LoadTestOptions.format(options.rampUp()), options.queryType().label(), pool.connectionLimit(),
				pool.database());
		LoadTestRunner runner = new LoadTestRunner(pool, workload, options, this.out);
		// Ctrl-C closes the context from a shutdown hook; the users stop before the pool
		// closes under them.
		context.addApplicationListener((ApplicationEvent event) -> {
			if (event instanceof ContextClosedEvent) {
				stopBeforePoolCloses(runner);
			}
		});
		LoadTestReport report;
		try {
			report = runner.run();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.err.println("The load test was interrupted");
			return EXIT_ERROR;
		}
		if (runner.isStopped()) {
			this.err.println("The load test was stopped early: the application is shutting down.");
		}
		this.out.println();
		this.out.print(LoadTestReportText.render(report));
		this.out.flush();
		if (options.reportFile() != null) {
			try {
				write(report, options.reportFile());
				this.out.println("Report written to " + options.reportFile().toAbsolutePath());
			}
			catch (IOException | RuntimeException ex) {
				this.err.println("Could not write the report to " + options.reportFile() + ": " + ex.getMessage());
				return EXIT_ERROR;
			}
		}
		return report.assessment().passed() ? EXIT_PASS : EXIT_FAIL;
	}

	private void stopBeforePoolCloses(LoadTestRunner runner) {
		try {
			runner.stop(STOP_TIMEOUT);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private SpringApplication application() {
		SpringApplication application = new SpringApplication(this.applicationClass);
		application.setWebApplicationType(WebApplicationType.NONE);
		Map<String, Object> defaults = new LinkedHashMap<>();
		// Keep the console for the progress and the report; the starter's own lines stay.
		defaults.put("spring.main.banner-mode", "off");
		defaults.put("logging.level.root", "WARN");
		defaults.put("logging.level.dev.dbpool", "INFO");
		defaults.put("logging.level.dev.dbpool.sample.SampleApplication", "WARN");
		application.setDefaultProperties(defaults);
		return application;
	}

	private static PoolUnderTest poolUnderTest(ConfigurableApplicationContext context) {
		DataSource dataSource = context.getBean(DataSource.class);
		DbPoolSettings settings = context.getBeanProvider(DbPoolSettings.class).getIfAvailable();
		Duration slowQueryThreshold = (settings != null) ? settings.slowQueryThreshold() : DEFAULT_SLOW_QUERY_THRESHOLD;
		HikariDataSource hikari = DataSourceUnwrapper.unwrap(dataSource, HikariConfigMXBean.class,
				HikariDataSource.class);
		if (hikari == null) {
			throw new IllegalStateException("The load test needs a HikariCP pool; the application's DataSource is "
					+ dataSource.getClass().getName());
		}
		IntSupplier active = () -> {
			HikariPoolMXBean bean = hikari.getHikariPoolMXBean();
			return (bean != null) ? bean.getActiveConnections() : 0;
		};
		return new PoolUnderTest(dataSource, PoolUnderTest.withoutParameters(hikari.getJdbcUrl()),
				hikari.getMaximumPoolSize(), Duration.ofMillis(PoolDataSourceFactory.poolTimeoutMillis(hikari)),
				slowQueryThreshold, active);
	}

	private static void write(LoadTestReport report, Path file) throws IOException {
		Path parent = file.toAbsolutePath().getParent();
		if (parent != null) {
			Files.createDirectories(parent);
		}
		JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
		Files.writeString(file, mapper.writeValueAsString(report) + System.lineSeparator());
	}

	private static <T extends Throwable> @Nullable T findCause(Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

}
