package dev.dbpool.sample.ops;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Prometheus (Debian's {@code /usr/bin/prometheus}) in a directory of its own, on
 * a free port, scraping one target every second and evaluating rules every second.
 */
final class PrometheusServer implements AutoCloseable {

	static final Path BINARY = Path.of("/usr/bin/prometheus");

	static final Path PROMTOOL = Path.of("/usr/bin/promtool");

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final Path directory;

	private final Process process;

	private final int port;

	private PrometheusServer(Path directory, Process process, int port) {
		this.directory = directory;
		this.process = process;
		this.port = port;
	}

	static boolean installed() {
		return Files.isExecutable(BINARY) && Files.isExecutable(PROMTOOL);
	}

	/**
	 * Start Prometheus.
	 * @param directory empty directory for configuration, rules, data and log
	 * @param target {@code host:port} of the application
	 * @param rules content of the rule file to load
	 * @return the started server, answering its readiness check
	 */
	static PrometheusServer start(Path directory, String target, String rules) throws IOException {
		Files.writeString(directory.resolve("rules.yml"), rules);
		Files.writeString(directory.resolve("prometheus.yml"), """
				global:
				  scrape_interval: 1s
				  scrape_timeout: 1s
				  evaluation_interval: 1s
				rule_files:
				  - rules.yml
				scrape_configs:
				  - job_name: dbpool-sample
				    metrics_path: /actuator/prometheus
				    static_configs:
				      - targets: ['%s']
				""".formatted(target));
		int port = freePort();
		Process process = new ProcessBuilder(BINARY.toString(), "--config.file=" + directory.resolve("prometheus.yml"),
				"--storage.tsdb.path=" + directory.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
				"--web.console.templates=" + directory, "--web.console.libraries=" + directory)
			.directory(directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("prometheus.log").toFile())
			.start();
		return new PrometheusServer(directory, process, port);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/**
	 * Whether Prometheus answers its readiness check.
	 * @throws AssertionError with the end of its log if the process has exited (a rule
	 * file it rejects, for example)
	 */
	boolean ready() {
		if (!this.process.isAlive()) {
			throw new AssertionError("Prometheus exited with " + this.process.exitValue() + ":\n" + logTail());
		}
		try {
			return get("/-/ready").statusCode() == 200;
		}
		catch (IllegalStateException ex) {
			return false;
		}
	}

	/**
	 * Evaluate an instant query.
	 * @param promQl the expression
	 * @return the {@code data.result} array
	 * @throws AssertionError with Prometheus' error when the query fails
	 */
	JsonNode query(String promQl) {
		HttpResponse<String> response = get("/api/v1/query?query=" + URLEncoder.encode(promQl, StandardCharsets.UTF_8));
		JsonNode body = json.readTree(response.body());
		if (!"success".equals(body.path("status").asString())) {
			throw new AssertionError("Prometheus rejected " + promQl + ": " + body.path("errorType").asString() + ": "
					+ body.path("error").asString());
		}
		return body.path("data").path("result");
	}

	/** The {@code data.alerts} array of {@code /api/v1/alerts}. */
	JsonNode alerts() {
		return json.readTree(get("/api/v1/alerts").body()).path("data").path("alerts");
	}

	/** The last lines of Prometheus' log, for failure messages. */
	String logTail() {
		try {
			List<String> lines = Files.readAllLines(this.directory.resolve("prometheus.log"));
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private HttpResponse<String> get(String path) {
		try {
			return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Prometheus on port " + this.port + " does not answer", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor();
		}
	}

}
