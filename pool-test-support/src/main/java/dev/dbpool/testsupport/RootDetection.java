package dev.dbpool.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this JVM runs as root, read from the owner of a file it creates. */
final class RootDetection {

	private static final boolean ROOT = detect();

	private RootDetection() {
	}

	static boolean isRoot() {
		return ROOT;
	}

	private static boolean detect() {
		try {
			Path probe = Files.createTempFile("dbpool-uid", ".probe");
			try {
				return Integer.valueOf(0).equals(Files.getAttribute(probe, "unix:uid"));
			}
			finally {
				Files.deleteIfExists(probe);
			}
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			return false;
		}
	}

}
