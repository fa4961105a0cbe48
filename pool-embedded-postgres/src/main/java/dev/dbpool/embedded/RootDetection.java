package dev.dbpool.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This JVM's user id, read from the owner of a file it creates, and whether it is root.
 */
public final class RootDetection {

	/** The uid, or -1 where the file system has none (Windows). */
	private static final int UID = detect();

	private RootDetection() {
	}

	public static boolean isRoot() {
		return UID == 0;
	}

	/** This JVM's user id; -1 where the file system has no unix owner (Windows). */
	public static int uid() {
		return UID;
	}

	private static int detect() {
		try {
			Path probe = Files.createTempFile("dbpool-uid", ".probe");
			try {
				return (Integer) Files.getAttribute(probe, "unix:uid");
			}
			finally {
				Files.deleteIfExists(probe);
			}
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			return -1;
		}
	}

}
