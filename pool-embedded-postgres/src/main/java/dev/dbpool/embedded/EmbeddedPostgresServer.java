package dev.dbpool.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run from io.zonky.test's binaries, controlled from Java:
 * start, stop, restart, crash and promote, which the failure tests need and zonky's own
 * launcher does not offer. When the JVM runs as root, every PostgreSQL command runs as
 * the unprivileged {@code nobody} account (PostgreSQL refuses to run as root), so the
 * default works in containers and CI images that build as root.
 * <p>
 * The superuser is {@code postgres} with a random password; TCP connections must
 * authenticate with it (scram-sha-256), so tests of wrong passwords are real. A watchdog
 * process stops the server if this JVM dies without closing it.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

	/** Superuser created by initdb. */
	public static final String SUPERUSER = "postgres";

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);

	private final Path binaries;

	private final Path baseDirectory;

	private final Path dataDirectory;

	private final String password;

	private final Map<String, String> serverConfig;

	private final boolean root;

	private int port;

	private @Nullable Process watchdog;

	private @Nullable Thread shutdownHook;

	private EmbeddedPostgresServer(Path binaries, Path baseDirectory, String password, Map<String, String> serverConfig,
			int port) {
		this.binaries = binaries;
		this.baseDirectory = baseDirectory;
		this.dataDirectory = baseDirectory.resolve("data");
		this.password = password;
		this.serverConfig = serverConfig;
		this.port = port;
		this.root = RootDetection.isRoot();
	}

	public static Builder builder() {
		return new Builder();
	}

	/** Start a server with the defaults: a free port, fsync off, 200 connections. */
	public static EmbeddedPostgresServer start() {
		return builder().start();
	}

	public int getPort() {
		return this.port;
	}

	public String getHost() {
		return "localhost";
	}

	public String getUsername() {
		return SUPERUSER;
	}

	public String getPassword() {
		return this.password;
	}

	public Path getDataDirectory() {
		return this.dataDirectory;
	}

	/** Server log written by {@code pg_ctl -l}. */
	public Path getLogFile() {
		return this.baseDirectory.resolve("server.log");
	}

	public String getJdbcUrl(String database) {
		return "jdbc:postgresql://" + getHost() + ":" + this.port + "/" + database;
	}

	/** Open a plain connection (no pool) as the superuser. */
	public Connection connect(String database) throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", SUPERUSER);
		properties.setProperty("password", this.password);
		properties.setProperty("connectTimeout", "10");
		return DriverManager.getConnection(getJdbcUrl(database), properties);
	}

	/** Create a database owned by the superuser, unless it exists. */
	public void createDatabase(String name) {
		try (Connection connection = connect("postgres");
				var statement = connection.createStatement();
				var exists = statement
					.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name.replace("'", "''") + "'")) {
			if (!exists.next()) {
				statement.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create database '" + name + "' on " + this, ex);
		}
	}

	/** Start a stopped server again on the same port and data. */
	public synchronized void startAgain() {
		pgCtl("-l", getLogFile().toString(), "-w", "-t", "60", "start");
	}

	/** Stop the server cleanly ({@code pg_ctl stop -m fast}), keeping its data. */
	public synchronized void stop() {
		pgCtl("-m", "fast", "-w", "-t", "60", "stop");
	}

	/**
	 * Stop the server as a crash would ({@code pg_ctl stop -m immediate}), keeping its
	 * data.
	 */
	public synchronized void crash() {
		pgCtl("-m", "immediate", "-w", "-t", "60", "stop");
	}

	/** Restart the server ({@code pg_ctl restart -m fast}), as an operator would. */
	public synchronized void restart() {
		pgCtl("-l", getLogFile().toString(), "-m", "fast", "-w", "-t", "60", "restart");
	}

	/** Promote a standby to primary ({@code pg_ctl promote}). */
	public synchronized void promote() {
		pgCtl("-w", "-t", "60", "promote");
	}

	public boolean isRunning() {
		return runCommand(pgCtlCommand("status"), false).exitCode() == 0;
	}

	/**
	 * Create a streaming standby of this server from a copy of its data directory. The
	 * primary is stopped for the copy and started again; the standby listens on a free
	 * port and follows the primary over a replication connection.
	 */
	public synchronized EmbeddedPostgresServer startStandby() {
		stop();
		Path standbyBase;
		try {
			standbyBase = Files.createTempDirectory("dbpool-pg-");
			copyDirectory(this.dataDirectory, standbyBase.resolve("data"));
			Files.deleteIfExists(standbyBase.resolve("data").resolve("postmaster.pid"));
			Files.writeString(standbyBase.resolve("data").resolve("standby.signal"), "");
			Files.setPosixFilePermissions(standbyBase.resolve("data"), PosixFilePermissions.fromString("rwx------"));
		}
		catch (IOException ex) {
			startAgain();
			throw new UncheckedIOException("Could not copy " + this.dataDirectory + " for a standby", ex);
		}
		startAgain();
		Map<String, String> config = new LinkedHashMap<>(this.serverConfig);
		config.put("primary_conninfo", "'host=localhost port=" + this.port + " user=" + SUPERUSER + " password="
				+ this.password + " application_name=standby'");
		config.put("hot_standby", "on");
		EmbeddedPostgresServer standby = new EmbeddedPostgresServer(this.binaries, standbyBase, this.password, config,
				0);
		standby.launch(true);
		return standby;
	}

	@Override
	public synchronized void close() {
		if (this.watchdog != null) {
			this.watchdog.destroy();
			this.watchdog = null;
		}
		if (this.shutdownHook != null) {
			try {
				Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
			}
			catch (IllegalStateException ex) {
				// Already shutting down: the hook is what called us.
			}
			this.shutdownHook = null;
		}
		if (Files.exists(this.dataDirectory.resolve("postmaster.pid"))) {
			runCommand(pgCtlCommand("-m", "immediate", "-w", "-t", "30", "stop"), false);
		}
		LocalServers.deleteRecursively(this.baseDirectory);
	}

	@Override
	public String toString() {
		return "EmbeddedPostgresServer[localhost:" + this.port + ", data=" + this.dataDirectory + "]";
	}

	private void initdb() throws IOException {
		Path passwordFile = this.baseDirectory.resolve("pwfile");
		Files.writeString(passwordFile, this.password + "\n");
		giveToServerAccount(this.baseDirectory);
		List<String> command = new ArrayList<>();
		command.add(this.binaries.resolve("bin/initdb").toString());
		command.addAll(List.of("-D", this.dataDirectory.toString(), "-U", SUPERUSER, "--pwfile=" + passwordFile,
				"--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"));
		CommandResult result = runCommand(command, true);
		Files.deleteIfExists(passwordFile);
		logger.debug("initdb finished: {}", result.output());
	}

	private void writeServerConfig() throws IOException {
		StringBuilder config = new StringBuilder();
		config.append("port = ").append(this.port).append('\n');
		this.serverConfig.forEach((key, value) -> config.append(key).append(" = ").append(value).append('\n'));
		Path include = this.dataDirectory.resolve("dbpool.conf");
		Files.writeString(include, config.toString(), StandardCharsets.UTF_8);
		Path main = this.dataDirectory.resolve("postgresql.conf");
		String mainConfig = Files.readString(main);
		if (!mainConfig.contains("include_if_exists = 'dbpool.conf'")) {
			Files.writeString(main, mainConfig + "\ninclude_if_exists = 'dbpool.conf'\n");
		}
		giveToServerAccount(this.baseDirectory);
	}

	private void launch(boolean standby) {
		boolean fixedPort = this.port != 0;
		for (int attempt = 1;; attempt++) {
			if (!fixedPort) {
				this.port = LocalServers.freePort();
			}
			try {
				writeServerConfig();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			CommandResult result = runCommand(pgCtlCommand("-l", getLogFile().toString(), "-w", "-t", "60", "start"),
					false);
			if (result.exitCode() == 0) {
				break;
			}
			String log = readLog();
			if (!fixedPort && attempt < 5 && log.contains("could not bind")) {
				logger.info("Port {} was taken while PostgreSQL started; trying another", this.port);
				continue;
			}
			throw new IllegalStateException("PostgreSQL did not start (pg_ctl exit " + result.exitCode() + "): "
					+ result.output() + "\nServer log " + getLogFile() + ":\n" + log);
		}
		startWatchdog();
		logger.info("Embedded PostgreSQL {}started on localhost:{} (data {})", standby ? "standby " : "", this.port,
				this.dataDirectory);
	}

	private void startWatchdog() {
		String stop = shellQuoted(
				LocalServers.asServerAccount(pgCtlCommand("-m", "immediate", "-w", "-t", "30", "stop")));
		String script = "while kill -0 \"$1\" 2>/dev/null; do sleep 1; done; " + stop
				+ " >/dev/null 2>&1; rm -rf \"$2\"";
		ProcessBuilder builder = new ProcessBuilder("sh", "-c", script, "dbpool-pg-watchdog",
				Long.toString(ProcessHandle.current().pid()), this.baseDirectory.toString());
		builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
		try {
			this.watchdog = builder.start();
		}
		catch (IOException ex) {
			logger.warn("Could not start the watchdog for {}; kill -9 of this JVM would leave it running", this, ex);
		}
	}

	private void pgCtl(String... arguments) {
		CommandResult result = runCommand(pgCtlCommand(arguments), false);
		if (result.exitCode() != 0) {
			throw new IllegalStateException("pg_ctl " + String.join(" ", arguments) + " failed (exit "
					+ result.exitCode() + "): " + result.output() + "\nServer log:\n" + readLog());
		}
	}

	private List<String> pgCtlCommand(String... arguments) {
		List<String> command = new ArrayList<>();
		command.add(this.binaries.resolve("bin/pg_ctl").toString());
		command.add("-D");
		command.add(this.dataDirectory.toString());
		command.addAll(List.of(arguments));
		return command;
	}

	private CommandResult runCommand(List<String> command, boolean failOnError) {
		List<String> full = LocalServers.asServerAccount(command);
		ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
		builder.environment().put("LC_ALL", "C");
		builder.environment().remove("PGDATA");
		try {
			Process process = builder.start();
			// pg_ctl start leaves the postmaster holding no pipe of ours (it logs to -l),
			// so reading to the end of the output cannot hang.
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("Timed out running " + full);
			}
			CommandResult result = new CommandResult(process.exitValue(), output);
			if (failOnError && result.exitCode() != 0) {
				throw new IllegalStateException(
						"Command " + full + " failed (exit " + result.exitCode() + "): " + result.output());
			}
			return result;
		}
		catch (IOException ex) {
			if (this.root) {
				throw new UncheckedIOException("Running as root: PostgreSQL must run as an unprivileged account and "
						+ "'setpriv' (util-linux) is needed for that. Install util-linux or run as a non-root user.",
						ex);
			}
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted running " + full, ex);
		}
	}

	private void giveToServerAccount(Path path) throws IOException {
		if (!this.root) {
			return;
		}
		CommandResult result = runAsCaller(
				List.of("chown", "-R", LocalServers.NOBODY + ":" + LocalServers.NOBODY, path.toString()));
		if (result.exitCode() != 0) {
			throw new IOException("Could not hand " + path + " to uid " + LocalServers.NOBODY + ": " + result.output());
		}
	}

	private static CommandResult runAsCaller(List<String> command) throws IOException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		try {
			return new CommandResult(process.waitFor(), output);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted", ex);
		}
	}

	private String readLog() {
		try {
			return Files.exists(getLogFile()) ? Files.readString(getLogFile()) : "(no log)";
		}
		catch (IOException ex) {
			return "(log unreadable: " + ex.getMessage() + ")";
		}
	}

	private static String shellQuoted(List<String> words) {
		List<String> quoted = new ArrayList<>();
		for (String word : words) {
			quoted.add("'" + word.replace("'", "'\\''") + "'");
		}
		return String.join(" ", quoted);
	}

	private static void copyDirectory(Path source, Path target) throws IOException {
		try (Stream<Path> paths = Files.walk(source)) {
			for (Path path : (Iterable<Path>) paths::iterator) {
				Path destination = target.resolve(source.relativize(path).toString());
				if (Files.isDirectory(path)) {
					Files.createDirectories(destination);
				}
				else {
					Files.copy(path, destination);
				}
			}
		}
	}

	private record CommandResult(int exitCode, String output) {
	}

	/** Options for a new server. */
	public static final class Builder {

		private int port;

		private final Map<String, String> serverConfig = new LinkedHashMap<>();

		private boolean registerShutdownHook = true;

		private Builder() {
			this.serverConfig.put("listen_addresses", "'localhost'");
			this.serverConfig.put("unix_socket_directories", "''");
			this.serverConfig.put("max_connections", "200");
			this.serverConfig.put("fsync", "off");
			this.serverConfig.put("full_page_writes", "off");
			this.serverConfig.put("shared_buffers", "'64MB'");
			this.serverConfig.put("wal_level", "replica");
			this.serverConfig.put("max_wal_senders", "4");
			this.serverConfig.put("wal_keep_size", "'256MB'");
		}

		/** Listen on this port; 0 (the default) picks a free one. */
		public Builder port(int port) {
			this.port = port;
			return this;
		}

		/** Set a {@code postgresql.conf} parameter; the value is written as given. */
		public Builder serverConfig(String name, String value) {
			this.serverConfig.put(name, value);
			return this;
		}

		/**
		 * Whether to stop the server in a JVM shutdown hook. Turn it off when another
		 * component (a Spring context) owns the shutdown order.
		 */
		public Builder registerShutdownHook(boolean registerShutdownHook) {
			this.registerShutdownHook = registerShutdownHook;
			return this;
		}

		public EmbeddedPostgresServer start() {
			Path binaries = PostgresBinaries.install();
			try {
				Path base = Files.createTempDirectory("dbpool-pg-");
				byte[] random = new byte[12];
				new SecureRandom().nextBytes(random);
				String password = "pg-" + HexFormat.of().formatHex(random);
				EmbeddedPostgresServer server = new EmbeddedPostgresServer(binaries, base, password,
						new LinkedHashMap<>(this.serverConfig), this.port);
				try {
					server.initdb();
					server.launch(false);
				}
				catch (RuntimeException | IOException ex) {
					server.close();
					throw ex;
				}
				if (this.registerShutdownHook) {
					Thread hook = new Thread(server::close, "dbpool-pg-shutdown");
					server.shutdownHook = hook;
					Runtime.getRuntime().addShutdownHook(hook);
				}
				return server;
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not start embedded PostgreSQL", ex);
			}
		}

	}

}
