package dev.dbpool.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The binaries directory is this user's alone, or it is refused. Each case builds the
 * hostile directory for real in a scratch parent and asks for it.
 */
class PrivateDirectoryTests {

	@TempDir
	Path parent;

	private Path expected() {
		return this.parent.resolve("dbpool-postgres-" + RootDetection.uid());
	}

	@Test
	void createsAPerUserDirectoryOnlyItsOwnerCanWrite() throws IOException {
		Path directory = PrivateDirectory.forCurrentUser(this.parent, "dbpool-postgres");

		assertThat(directory).isEqualTo(expected());
		assertThat(Files.getAttribute(directory, "unix:uid")).isEqualTo(RootDetection.uid());
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwxr-xr-x");
		// Asked again, the same directory passes the same checks.
		assertThat(PrivateDirectory.forCurrentUser(this.parent, "dbpool-postgres")).isEqualTo(directory);
	}

	@Test
	void worldWritableDirectoryIsRefused() throws IOException {
		Files.createDirectory(expected());
		Files.setPosixFilePermissions(expected(), PosixFilePermissions.fromString("rwxrwxrwx"));

		assertThatIllegalStateException()
			.isThrownBy(() -> PrivateDirectory.forCurrentUser(this.parent, "dbpool-postgres"))
			.withMessageContaining(expected().toString())
			.withMessageContaining("group or others can write to it (mode 777)")
			.withMessageContaining("chmod 755");
	}

	@Test
	void groupWritableDirectoryIsRefused() throws IOException {
		Files.createDirectory(expected());
		Files.setPosixFilePermissions(expected(), PosixFilePermissions.fromString("rwxrwxr-x"));

		assertThatIllegalStateException()
			.isThrownBy(() -> PrivateDirectory.forCurrentUser(this.parent, "dbpool-postgres"))
			.withMessageContaining("mode 775");
	}

	@Test
	void symbolicLinkIsRefused() throws IOException {
		Path elsewhere = Files.createDirectory(this.parent.resolve("elsewhere"));
		Files.createSymbolicLink(expected(), elsewhere);

		assertThatIllegalStateException()
			.isThrownBy(() -> PrivateDirectory.forCurrentUser(this.parent, "dbpool-postgres"))
			.withMessageContaining("not a plain directory");
	}

	@Test
	void directoryOfAnotherAccountIsRefused() throws Exception {
		Assumptions.assumeTrue(RootDetection.isRoot(),
				"only root can hand a directory to another account; this case runs in the root CI image");
		Files.createDirectory(expected());
		Process chown = new ProcessBuilder("chown", LocalServers.NOBODY + ":" + LocalServers.NOBODY,
				expected().toString())
			.inheritIO()
			.start();
		assertThat(chown.waitFor()).isZero();

		assertThatIllegalStateException()
			.isThrownBy(() -> PrivateDirectory.forCurrentUser(this.parent, "dbpool-postgres"))
			.withMessageContaining("belongs to uid " + LocalServers.NOBODY)
			.withMessageContaining("rm -rf " + expected());
	}

	@Test
	void parentWritableByOthersWithoutStickyBitIsRefused() throws IOException {
		Files.setPosixFilePermissions(this.parent, PosixFilePermissions.fromString("rwxrwxrwx"));

		assertThatIllegalStateException()
			.isThrownBy(() -> PrivateDirectory.forCurrentUser(this.parent, "dbpool-postgres"))
			.withMessageContaining("without the sticky bit (mode 777)");
	}

	@Test
	void worldWritableParentWithStickyBitLikeTmpIsAccepted() throws Exception {
		Process chmod = new ProcessBuilder("chmod", "1777", this.parent.toString()).inheritIO().start();
		assertThat(chmod.waitFor()).isZero();

		assertThat(PrivateDirectory.forCurrentUser(this.parent, "dbpool-postgres")).isEqualTo(expected());
	}

}
