package dev.dbpool.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the local servers of the tests (PostgreSQL, PgBouncer) share: the unprivileged
 * account they run as when the JVM is root, a free loopback port, and the removal of
 * their scratch directory.
 */
public final class LocalServers {

	/** The {@code nobody} account, which servers that refuse root run as. */
	public static final int NOBODY = 65534;

	private static final Logger logger = LoggerFactory.getLogger(LocalServers.class);

	private LocalServers() {
	}

	/**
	 * The command run as {@code nobody} through setpriv when this JVM is root, else as
	 * is.
	 */
	public static List<String> asServerAccount(List<String> command) {
		if (!RootDetection.isRoot()) {
			return command;
		}
		List<String> wrapped = new ArrayList<>(
				List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
		wrapped.addAll(command);
		return wrapped;
	}

	/** A loopback port nothing listens on right now. */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not find a free port", ex);
		}
	}

	/**
	 * Delete a directory tree, leaving what cannot be deleted to the temporary-directory
	 * cleaning.
	 */
	public static void deleteRecursively(Path directory) {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> {
				try {
					Files.deleteIfExists(path);
				}
				catch (IOException ex) {
					// A file the server account still writes; cleaned later.
				}
			});
		}
		catch (IOException ex) {
			logger.debug("Could not delete {}", directory, ex);
		}
	}

}
