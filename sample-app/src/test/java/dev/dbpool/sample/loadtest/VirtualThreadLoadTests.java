package dev.dbpool.sample.loadtest;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import dev.dbpool.sample.SampleApplication;
import dev.dbpool.testsupport.TestDatabase;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load test with 1,000 users on virtual threads ({@code
 * spring.threads.virtual.enabled=true}) against a pool of 10, with JFR recording every
 * {@code jdk.VirtualThreadPinned} event however short: the run passes and no virtual
 * thread is pinned to its carrier, by the pool, the driver or the starter. Runs on Java
 * 25, the current LTS, where {@code synchronized} no longer pins (JEP 491) and what is
 * left to find is native frames and class initialisation.
 */
@EnabledForJreRange(min = JRE.JAVA_25,
		disabledReason = "virtual-thread pinning is checked on Java 25; .ci/run runs the suite on 25 as well")
class VirtualThreadLoadTests {

	private static final TestDatabase database = TestDatabase.shared().newDatabase("loadtest_virtual");

	private static final int USERS = 1000;

	private static final int POOL_SIZE = 10;

	private static final String JDK_POLLER_INITIALIZATION = "Waited for initialization of sun.nio.ch.Poller by another thread";

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	@TempDir
	Path directory;

	@Test
	void thousandVirtualThreadUsersOnAPoolOfTenPassWithoutPinning() throws Exception {
		Path reportFile = this.directory.resolve("report.json");
		Path recordingFile = this.directory.resolve("pinning.jfr");
		LoadTestCommand command = new LoadTestCommand(SampleApplication.class,
				new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8));
		int exitCode;
		try (Recording recording = new Recording()) {
			recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
			recording.enable("jdk.VirtualThreadStart");
			recording.start();
			// No --threads: the users follow spring.threads.virtual.enabled, as
			// documented.
			exitCode = command.run("--concurrent", Integer.toString(USERS), "--connection-limit",
					Integer.toString(POOL_SIZE), "--duration", "6", "--ramp-up", "1", "--query-type", "simple",
					"--report-file", reportFile.toString(), "--spring.threads.virtual.enabled=true",
					"--db.pool.url=" + database.jdbcUrl(), "--db.pool.username=" + database.username(),
					"--db.pool.password=" + database.password());
			recording.stop();
			recording.dump(recordingFile);
		}
		String output = this.out.toString(StandardCharsets.UTF_8) + "\n" + this.err.toString(StandardCharsets.UTF_8);
		assertThat(exitCode).as(output).isEqualTo(LoadTestCommand.EXIT_PASS);
		assertThat(output).contains("Load test: 1000 virtual users on virtual threads")
			.contains("users 1000/1000")
			.contains("Threads: virtual");

		JsonNode report = JsonMapper.builder().build().readTree(reportFile.toFile());
		assertThat(report.at("/configuration/threads").asString()).isEqualTo("virtual");
		assertThat(report.at("/configuration/concurrent").asInt()).isEqualTo(USERS);
		assertThat(report.at("/configuration/connectionLimit").asInt()).isEqualTo(POOL_SIZE);
		assertThat(report.at("/errors/total").asLong()).isZero();
		assertThat(report.at("/concurrency/peak").asInt()).as("users waiting for one of 10 connections")
			.isGreaterThan(POOL_SIZE);
		assertThat(report.at("/concurrency/final").asInt()).isZero();

		List<RecordedEvent> events = RecordingFile.readAllEvents(recordingFile);
		long virtualThreadsStarted = events.stream()
			.filter((event) -> event.getEventType().getName().equals("jdk.VirtualThreadStart"))
			.count();
		assertThat(virtualThreadsStarted).as("virtual threads started during the run").isGreaterThanOrEqualTo(USERS);
		List<RecordedEvent> pinned = events.stream()
			.filter((event) -> event.getEventType().getName().equals("jdk.VirtualThreadPinned"))
			.toList();
		// Two pins are the JDK's own and happen once per JVM, in any application: the
		// first virtual threads to do socket I/O wait for the JDK to initialise its I/O
		// poller, and a virtual thread that loads a class pins while the class loader
		// runs (a native frame). Everything else counts: a pin in the pool, the driver,
		// the starter or the load test's own code fails the test.
		List<String> pinnedByUs = pinned.stream()
			.filter((event) -> !JDK_POLLER_INITIALIZATION.equals(pinnedReason(event)))
			.filter((event) -> !whileLoadingAClass(event))
			.map(VirtualThreadLoadTests::describe)
			.toList();
		assertThat(pinnedByUs).as("jdk.VirtualThreadPinned events").isEmpty();
		System.out.printf(
				"%d virtual threads, %d jdk.VirtualThreadPinned events (JDK poller initialisation or class loading)%n%s%n",
				virtualThreadsStarted, pinned.size(), this.out.toString(StandardCharsets.UTF_8));
	}

	/**
	 * Whether the pin happened inside the JDK's class loading: the innermost frames are
	 * class-loader frames, before any frame of other code.
	 */
	private static boolean whileLoadingAClass(RecordedEvent event) {
		if (event.getStackTrace() == null || event.getStackTrace().getFrames().isEmpty()) {
			return false;
		}
		RecordedFrame top = event.getStackTrace().getFrames().get(0);
		String type = top.getMethod().getType().getName();
		return type.startsWith("jdk.internal.loader.") || type.equals("java.lang.ClassLoader");
	}

	private static String pinnedReason(RecordedEvent event) {
		// Recorded from Java 24 on.
		return event.hasField("pinnedReason") ? event.getString("pinnedReason") : "";
	}

	private static String describe(RecordedEvent event) {
		String frames = (event.getStackTrace() != null) ? event.getStackTrace()
			.getFrames()
			.stream()
			.limit(64)
			.map(RecordedFrame::getMethod)
			.map((method) -> method.getType().getName() + "." + method.getName())
			.collect(Collectors.joining("\n    ")) : "(no stack trace)";
		String thread = (event.getThread() != null) ? event.getThread().getJavaName() : "an unknown thread";
		return event.getDuration().toNanos() / 1000 + " us on " + thread + " (" + pinnedReason(event) + "):\n    "
				+ frames;
	}

}
