package dev.dbpool.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.dbpool.embedded.EmbeddedPostgresServer;
import dev.dbpool.embedded.LocalServers;
import dev.dbpool.embedded.RootDetection;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PgBouncer (the Debian {@code pgbouncer} package) in front of a test database,
 * started from Java with its own ini and userlist in a temporary directory, on a free
 * port. PgBouncer refuses to run as root, so as root it runs as {@code nobody}, like
 * {@link EmbeddedPostgresServer}. Clients log in with the server's own user and password
 * (scram-sha-256 on both sides).
 */
public final class PgBouncerServer implements AutoCloseable {

	/** Where Debian installs the binary. */
	public static final Path DEBIAN_BINARY = Path.of("/usr/sbin/pgbouncer");

	private static final Logger logger = LoggerFactory.getLogger(PgBouncerServer.class);

	private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

	private final Path binary;

	private final Path directory;

	private final TestDatabase backend;

	private final int port;

	private @Nullable Process process;

	private @Nullable Process watchdog;

	private PgBouncerServer(Path binary, Path directory, TestDatabase backend, int port) {
		this.binary = binary;
		this.directory = directory;
		this.backend = backend;
		this.port = port;
	}

	/**
	 * The PgBouncer binary, if installed: {@code /usr/sbin/pgbouncer} or
	 * {@code pgbouncer} on the PATH.
	 */
	public static Optional<Path> binary() {
		if (Files.isExecutable(DEBIAN_BINARY)) {
			return Optional.of(DEBIAN_BINARY);
		}
		String path = System.getenv("PATH");
		if (path != null) {
			for (String entry : path.split(":")) {
				Path candidate = Path.of(entry, "pgbouncer");
				if (Files.isExecutable(candidate)) {
					return Optional.of(candidate);
				}
			}
		}
		return Optional.empty();
	}

	/** Why PgBouncer tests cannot run here, or empty when they can. */
	public static Optional<String> unavailableReason() {
		if (binary().isEmpty()) {
			return Optional.of("PgBouncer is not installed (no /usr/sbin/pgbouncer and no pgbouncer on the PATH); "
					+ "install the Debian package 'pgbouncer' (.ci/run does) to run these tests");
		}
		return Optional.empty();
	}

	/**
	 * Start PgBouncer in transaction pooling mode in front of a database.
	 * @param backend the database PgBouncer forwards to
	 * @param defaultPoolSize server connections per database and user
	 * @return the running PgBouncer
	 */
	public static PgBouncerServer startTransactionPooling(TestDatabase backend, int defaultPoolSize) {
		return startTransactionPooling(backend, defaultPoolSize, List.of());
	}

	/**
	 * Start PgBouncer in transaction pooling mode, silently dropping some startup
	 * parameters as many installations do ({@code ignore_startup_parameters}).
	 * @param backend the database PgBouncer forwards to
	 * @param defaultPoolSize server connections per database and user
	 * @param ignoredStartupParameters startup parameters to accept and drop, besides
	 * {@code extra_float_digits} (which pgjdbc always sends)
	 * @return the running PgBouncer
	 */
	public static PgBouncerServer startTransactionPooling(TestDatabase backend, int defaultPoolSize,
			List<String> ignoredStartupParameters) {
		Path binary = binary().orElseThrow(() -> new IllegalStateException(unavailableReason().orElseThrow()));
		try {
			Path directory = Files.createTempDirectory("dbpool-pgbouncer-");
			PgBouncerServer server = new PgBouncerServer(binary, directory, backend, LocalServers.freePort());
			try {
				List<String> ignored = new ArrayList<>(List.of("extra_float_digits"));
				ignored.addAll(ignoredStartupParameters);
				server.writeConfig(defaultPoolSize, String.join(",", ignored));
				server.launch();
			}
			catch (RuntimeException | IOException ex) {
				server.close();
				throw ex;
			}
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start PgBouncer", ex);
		}
	}

	public int port() {
		return this.port;
	}

	/** {@code jdbc:postgresql://localhost:port/database} through PgBouncer. */
	public String jdbcUrl() {
		return "jdbc:postgresql://localhost:" + this.port + "/" + this.backend.database();
	}

	/**
	 * {@code postgresql://user:password@localhost:port/database} through PgBouncer, as
	 * users set DATABASE_URL.
	 */
	public String databaseUrl() {
		String direct = this.backend.databaseUrl();
		String hostPort = this.backend.host() + ":" + this.backend.port();
		return direct.replace("@" + hostPort + "/", "@localhost:" + this.port + "/");
	}

	public String username() {
		return this.backend.username();
	}

	public String password() {
		return this.backend.password();
	}

	/** PgBouncer's own log. */
	public Path logFile() {
		return this.directory.resolve("pgbouncer.log");
	}

	/**
	 * {@code PAUSE}: PgBouncer lets running transactions finish, disconnects from the
	 * server and holds new queries until {@link #resume()}. Sent as SIGUSR1, because
	 * pgjdbc cannot talk to the admin console (it takes the console's version for an old
	 * server and sends SET commands the console rejects).
	 */
	public void pause() {
		signal("USR1");
	}

	/** {@code RESUME}: held queries run again (SIGUSR2). */
	public void resume() {
		signal("USR2");
	}

	private synchronized void signal(String signal) {
		Process running = this.process;
		if (running == null) {
			throw new IllegalStateException("PgBouncer is not running");
		}
		try {
			// setpriv execs PgBouncer, so the child's pid is PgBouncer's.
			run(List.of("kill", "-" + signal, Long.toString(running.pid())));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not send SIG" + signal + " to PgBouncer", ex);
		}
	}

	/**
	 * Stop PgBouncer at once (SIGTERM: every client and server connection is dropped) and
	 * start it again on the same port, as an operator restarting the service would.
	 */
	public synchronized void restart() {
		stopProcess();
		launch();
	}

	/** Stop PgBouncer, keeping its configuration for {@link #startAgain()}. */
	public synchronized void stop() {
		stopProcess();
	}

	/** Start a stopped PgBouncer again on the same port. */
	public synchronized void startAgain() {
		launch();
	}

	@Override
	public synchronized void close() {
		stopProcess();
		if (this.watchdog != null) {
			this.watchdog.destroy();
			this.watchdog = null;
		}
		LocalServers.deleteRecursively(this.directory);
	}

	@Override
	public String toString() {
		return "PgBouncerServer[localhost:" + this.port + " -> " + this.backend + "]";
	}

	private void writeConfig(int defaultPoolSize, String ignoredStartupParameters) throws IOException {
		String ini = """
				[databases]
				* = host=%s port=%d

				[pgbouncer]
				listen_addr = 127.0.0.1
				listen_port = %d
				unix_socket_dir =
				auth_type = scram-sha-256
				auth_file = %s
				admin_users = %s
				pool_mode = transaction
				default_pool_size = %d
				max_client_conn = 500
				server_login_retry = 1
				ignore_startup_parameters = %s
				logfile = %s
				pidfile = %s
				""".formatted(this.backend.host(), this.backend.port(), this.port,
				this.directory.resolve("userlist.txt"), this.backend.username(), defaultPoolSize,
				ignoredStartupParameters, logFile(), this.directory.resolve("pgbouncer.pid"));
		Files.writeString(this.directory.resolve("pgbouncer.ini"), ini, StandardCharsets.UTF_8);
		Files.writeString(this.directory.resolve("userlist.txt"),
				quoted(this.backend.username()) + " " + quoted(this.backend.password()) + "\n", StandardCharsets.UTF_8);
		if (RootDetection.isRoot()) {
			run(List.of("chown", "-R", LocalServers.NOBODY + ":" + LocalServers.NOBODY, this.directory.toString()));
		}
	}

	private void launch() {
		List<String> command = LocalServers
			.asServerAccount(List.of(this.binary.toString(), this.directory.resolve("pgbouncer.ini").toString()));
		try {
			Files.deleteIfExists(this.directory.resolve("pgbouncer.pid"));
			Process started = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("stdout.log").toFile()))
				.start();
			this.process = started;
			startWatchdog(started);
			long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
			while (!accepts()) {
				if (!started.isAlive()) {
					throw new IllegalStateException("PgBouncer exited with " + started.exitValue() + ": "
							+ read(this.directory.resolve("stdout.log")) + "\n" + read(logFile()));
				}
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("PgBouncer did not listen on port " + this.port + " within "
							+ START_TIMEOUT.toSeconds() + "s: " + read(logFile()));
				}
				Thread.sleep(20);
			}
			logger.info("PgBouncer started on localhost:{} in front of {}", this.port, this.backend);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + command, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while starting PgBouncer", ex);
		}
	}

	private void stopProcess() {
		Process running = this.process;
		if (running == null) {
			return;
		}
		this.process = null;
		running.destroy();
		try {
			if (!running.waitFor(10, TimeUnit.SECONDS)) {
				running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
			// The port is free once nothing accepts on it any more.
			long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
			while (accepts() && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private boolean accepts() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private void startWatchdog(Process target) {
		if (this.watchdog != null) {
			this.watchdog.destroy();
		}
		String script = "while kill -0 \"$1\" 2>/dev/null && kill -0 \"$2\" 2>/dev/null; do sleep 1; done; "
				+ "kill \"$2\" 2>/dev/null";
		try {
			this.watchdog = new ProcessBuilder("sh", "-c", script, "dbpool-pgbouncer-watchdog",
					Long.toString(ProcessHandle.current().pid()), Long.toString(target.pid()))
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
		}
		catch (IOException ex) {
			logger.warn("Could not start the watchdog for {}; kill -9 of this JVM would leave it running", this, ex);
		}
	}

	private static String quoted(String value) {
		return "\"" + value.replace("\"", "\"\"") + "\"";
	}

	private static void run(List<String> command) throws IOException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		try {
			if (process.waitFor() != 0) {
				throw new IOException(command + " failed: " + output);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted", ex);
		}
	}

	private static String read(Path file) {
		try {
			return Files.exists(file) ? Files.readString(file) : "";
		}
		catch (IOException ex) {
			return "(unreadable: " + ex.getMessage() + ")";
		}
	}

}
