package dev.dbpool.embedded;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A per-user directory under a shared one (the temporary directory), named
 * {@code <name>-<uid>}, owned by that user and writable by nobody else. It is checked
 * every time before use: one that another account owns, that group or others can write
 * to, or that is a symbolic link is refused, since whatever it holds could have been put
 * there by someone else.
 */
public final class PrivateDirectory {

	/** rwxr-xr-x: the server account (nobody, when we are root) must read it. */
	private static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rwxr-xr-x");

	private static final int GROUP_OR_OTHER_WRITE = 0022;

	private static final int STICKY = 01000;

	private PrivateDirectory() {
	}

	/**
	 * The user's directory under {@code parent}, created if missing.
	 * @param parent a shared directory such as {@code java.io.tmpdir}
	 * @param name the directory's name before {@code -<uid>}
	 * @return the checked directory
	 * @throws IllegalStateException naming the directory, what is wrong and what to do
	 * @throws IOException if it cannot be created
	 */
	public static Path forCurrentUser(Path parent, String name) throws IOException {
		int uid = RootDetection.uid();
		if (uid < 0) {
			// No unix owners (Windows): the user's own temporary directory is private.
			Path directory = parent.resolve(name);
			Files.createDirectories(directory);
			return directory;
		}
		Path directory = parent.resolve(name + "-" + uid);
		try {
			Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(MODE));
			// The umask may have taken bits away; set exactly these.
			Files.setPosixFilePermissions(directory, MODE);
		}
		catch (FileAlreadyExistsException ex) {
			// Checked below, as a directory found there always is.
		}
		check(parent, directory, uid);
		return directory;
	}

	static void check(Path parent, Path directory, int uid) throws IOException {
		String fix = " Remove it (rm -rf " + directory + ") and start again, or point java.io.tmpdir at a"
				+ " directory of your own (-Djava.io.tmpdir=$HOME/tmp).";
		if (Files.isSymbolicLink(directory) || !Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
			throw new IllegalStateException("Refusing to use " + directory
					+ " for the embedded PostgreSQL binaries: it is not a plain directory (a symbolic link or a"
					+ " file), so someone else may control what it holds." + fix);
		}
		int owner = (Integer) Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS);
		if (owner != uid) {
			throw new IllegalStateException("Refusing to use " + directory
					+ " for the embedded PostgreSQL binaries: it belongs to uid " + owner + ", not to this user (uid "
					+ uid + "), who would then run binaries someone else put there." + fix);
		}
		int mode = (Integer) Files.getAttribute(directory, "unix:mode", LinkOption.NOFOLLOW_LINKS);
		if ((mode & GROUP_OR_OTHER_WRITE) != 0) {
			throw new IllegalStateException("Refusing to use " + directory
					+ " for the embedded PostgreSQL binaries: group or others can write to it (mode "
					+ Integer.toOctalString(mode & 0777) + "), so they could replace the binaries. Run chmod 755 "
					+ directory + ", or remove it and start again.");
		}
		int parentMode = (Integer) Files.getAttribute(parent, "unix:mode");
		if ((parentMode & GROUP_OR_OTHER_WRITE) != 0 && (parentMode & STICKY) == 0) {
			throw new IllegalStateException("Refusing to use " + directory
					+ " for the embedded PostgreSQL binaries: its parent " + parent
					+ " is writable by others without the sticky bit (mode " + Integer.toOctalString(parentMode & 07777)
					+ "), so anyone could swap the directory. Point java.io.tmpdir at a directory of your own"
					+ " (-Djava.io.tmpdir=$HOME/tmp), or chmod +t " + parent + ".");
		}
	}

}
