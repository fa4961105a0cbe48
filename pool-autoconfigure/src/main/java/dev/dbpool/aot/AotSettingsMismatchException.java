package dev.dbpool.aot;

import java.util.List;

/**
 * The application was processed ahead of time with settings that decide beans (which
 * endpoints exist, which pools) and runs with different ones. AOT processing froze the
 * build-time decision, so starting would silently ignore the run-time value.
 */
public class AotSettingsMismatchException extends RuntimeException {

	/** What to do, for the failure analysis and the message. */
	static final String ACTION = "Run AOT processing again with the run-time settings (mvn spring-boot:process-aot "
			+ "or the native-image build, with the same application properties and environment variables), "
			+ "or start with the settings the build was processed with.";

	private final List<String> mismatches;

	public AotSettingsMismatchException(List<String> mismatches) {
		super("AOT processing froze database pool switches that the run-time settings change:\n    "
				+ String.join("\n    ", mismatches) + "\n" + ACTION);
		this.mismatches = List.copyOf(mismatches);
	}

	/** One line per switch: where, the build-time outcome, the run-time outcome. */
	public List<String> getMismatches() {
		return this.mismatches;
	}

}
