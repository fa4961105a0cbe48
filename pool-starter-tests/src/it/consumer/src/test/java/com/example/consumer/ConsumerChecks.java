package com.example.consumer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbpool.testsupport.TestDatabase;

import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the consumer application against the embedded PostgreSQL, the way it is
 * deployed, and checks what a user sees. Run twice by the build: on the plain JVM and in
 * AOT mode ({@code -Dspring.aot.enabled=true}, using what {@code process-aot} generated
 * with the build-time settings, which leave the run-time switches at their defaults).
 * Exits with 1 and lists every failed check.
 */
public final class ConsumerChecks {

	private static final HttpClient http = HttpClient.newHttpClient();

	private final List<String> failures = new ArrayList<>();

	private final boolean aot = AotDetector.useGeneratedArtifacts();

	private final String databaseUrl;

	private ConsumerChecks(String databaseUrl) {
		this.databaseUrl = databaseUrl;
	}

	public static void main(String[] args) throws Exception {
		TestDatabase database = TestDatabase.shared().newDatabase("consumer");
		ConsumerChecks checks = new ConsumerChecks(database.databaseUrl());
		checks.run();
		System.out.println("Consumer checks (" + (checks.aot ? "AOT mode" : "plain JVM") + "): "
				+ (checks.failures.isEmpty() ? "all passed" : checks.failures.size() + " failed"));
		checks.failures.forEach((failure) -> System.out.println("  FAILED: " + failure));
		System.exit(checks.failures.isEmpty() ? 0 : 1);
	}

	private void run() throws Exception {
		startsWithTheStartersPool();
		endpointSwitchedOffAtRunTime();
		replicaAddedAtRunTime();
		additionalPoolAddedAtRunTime();
	}

	private void startsWithTheStartersPool() throws Exception {
		try (ConfigurableApplicationContext context = start()) {
			HikariDataSource pool = context.getBean(DataSource.class).unwrap(HikariDataSource.class);
			check("pool name is spring.application.name", "consumer".equals(pool.getPoolName()),
					pool.getPoolName());
			HttpResponse<String> greeting = get(context, "/greeting");
			check("GET /greeting answers from the database",
					greeting.statusCode() == 200 && greeting.body().startsWith("hello from consumer"),
					greeting.statusCode() + " " + greeting.body());
			HttpResponse<String> snapshot = get(context, "/metrics/database");
			check("GET /metrics/database is served", snapshot.statusCode() == 200,
					Integer.toString(snapshot.statusCode()));
		}
	}

	private void endpointSwitchedOffAtRunTime() throws Exception {
		if (!this.aot) {
			try (ConfigurableApplicationContext context = start("--db.pool.endpoint.enabled=false")) {
				int status = get(context, "/metrics/database").statusCode();
				check("db.pool.endpoint.enabled=false gives 404", status == 404, Integer.toString(status));
			}
			return;
		}
		expectRefusal("db.pool.endpoint.enabled=false at run time", "db.pool.endpoint.enabled",
				"--db.pool.endpoint.enabled=false");
	}

	private void replicaAddedAtRunTime() throws Exception {
		String replica = "--DATABASE_REPLICA_URL=" + this.databaseUrl;
		if (!this.aot) {
			try (ConfigurableApplicationContext context = start(replica)) {
				check("DATABASE_REPLICA_URL gives the replica pool", context.containsBean("dbPoolReplicaDataSource"),
						"no dbPoolReplicaDataSource bean");
			}
			return;
		}
		expectRefusal("DATABASE_REPLICA_URL at run time", "db.pool.replica.url", replica);
	}

	private void additionalPoolAddedAtRunTime() throws Exception {
		String additional = "--db.pool.additional.reports.url=" + this.databaseUrl;
		if (!this.aot) {
			try (ConfigurableApplicationContext context = start(additional)) {
				HikariDataSource pool = context.getBean("reportsDataSource", DataSource.class)
					.unwrap(HikariDataSource.class);
				check("db.pool.additional.reports gives the reportsDataSource pool",
						"consumer-reports".equals(pool.getPoolName()), pool.getPoolName());
			}
			return;
		}
		expectRefusal("db.pool.additional.reports at run time", "db.pool.additional", additional);
	}

	private void expectRefusal(String what, String naming, String... args) {
		try (ConfigurableApplicationContext context = start(args)) {
			check(what + " refuses startup", false, "started");
		}
		catch (RuntimeException ex) {
			String message = messages(ex);
			check(what + " refuses startup naming " + naming + " and the rebuild",
					message.contains(naming) && message.contains("process-aot"), message);
		}
	}

	private ConfigurableApplicationContext start(String... extra) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--DATABASE_URL=" + this.databaseUrl));
		args.addAll(List.of(extra));
		SpringApplication application = new SpringApplication(ConsumerApplication.class);
		// The AOT initializer is looked up by the main class, which is the application's.
		application.setMainApplicationClass(ConsumerApplication.class);
		return application.run(args.toArray(String[]::new));
	}

	private static HttpResponse<String> get(ConfigurableApplicationContext context, String path) throws Exception {
		String port = context.getEnvironment().getProperty("local.server.port");
		return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static String messages(Throwable ex) {
		StringBuilder text = new StringBuilder();
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			text.append(cause.getMessage()).append('\n');
		}
		return text.toString();
	}

	private void check(String what, boolean passed, String detail) {
		System.out.println((passed ? "ok      " : "FAILED  ") + what + (passed ? "" : ": " + detail));
		if (!passed) {
			this.failures.add(what + ": " + detail);
		}
	}

}
