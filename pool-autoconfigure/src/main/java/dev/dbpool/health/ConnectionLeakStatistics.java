package dev.dbpool.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.dbpool.common.DatabaseSnapshotContributor;
import org.jspecify.annotations.Nullable;

/**
 * Connections that HikariCP's leak detection reported: how many, how many came back
 * later, and where the last one was borrowed. Fed by {@link HikariLeakLogListener}; shown
 * as the {@code leaks} section of {@code /metrics/database} and in the health details.
 */
public final class ConnectionLeakStatistics implements DatabaseSnapshotContributor {

	/** Name of the snapshot section. */
	public static final String SECTION = "leaks";

	static final int MAX_STACK_FRAMES = 30;

	private final Duration threshold;

	private final Clock clock;

	private final AtomicLong detected = new AtomicLong();

	private final AtomicLong returned = new AtomicLong();

	private volatile boolean listening;

	private volatile @Nullable Leak last;

	/**
	 * Create empty statistics.
	 * @param threshold the pool's leak detection threshold; zero when detection is off
	 * @param clock clock for the time of detection
	 */
	public ConnectionLeakStatistics(Duration threshold, Clock clock) {
		this.threshold = threshold;
		this.clock = clock;
	}

	/** One reported leak. */
	public record Leak(Instant detectedAt, String thread, String connection, List<String> borrowedAt) {

	}

	/**
	 * Record a leak reported by HikariCP.
	 * @param thread the thread that borrowed the connection
	 * @param connection the driver connection's name (no credentials in it)
	 * @param borrowedAt the stack trace captured when the connection was borrowed
	 */
	public void leakDetected(String thread, String connection, StackTraceElement @Nullable [] borrowedAt) {
		List<String> frames = new ArrayList<>();
		if (borrowedAt != null) {
			for (int i = 0; i < borrowedAt.length && i < MAX_STACK_FRAMES; i++) {
				frames.add(borrowedAt[i].toString());
			}
		}
		this.last = new Leak(this.clock.instant(), thread, connection, List.copyOf(frames));
		this.detected.incrementAndGet();
	}

	/** Record that a connection reported as leaked was returned to the pool. */
	public void leakedConnectionReturned() {
		this.returned.incrementAndGet();
	}

	/** Mark that leak reports are being received, so the counts mean something. */
	void listening(boolean listening) {
		this.listening = listening;
	}

	public boolean isListening() {
		return this.listening;
	}

	/** Whether the pool has leak detection switched on. */
	public boolean isDetectionEnabled() {
		return !this.threshold.isZero();
	}

	public long detectedCount() {
		return this.detected.get();
	}

	public long returnedCount() {
		return this.returned.get();
	}

	public @Nullable Leak lastLeak() {
		return this.last;
	}

	@Override
	public String section() {
		return SECTION;
	}

	/**
	 * The section of Actuator's {@code database} endpoint: the counts and the last leak
	 * with the thread, connection and stack trace of its borrow.
	 */
	@Override
	public Object snapshot() {
		return section(true);
	}

	/**
	 * The health indicator's details, which the readiness group shows on the application
	 * port: the counts and when the last leak was detected, never the thread, the
	 * connection or the stack trace (the code that leaked is an internal, as
	 * {@code docs/security.md} says).
	 * @return the details
	 */
	public Map<String, Object> healthDetails() {
		return section(false);
	}

	private Map<String, Object> section(boolean internals) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("detectionEnabled", isDetectionEnabled());
		if (isDetectionEnabled()) {
			map.put("thresholdMs", this.threshold.toMillis());
			map.put("tracked", this.listening);
			map.put("count", detectedCount());
			map.put("returnedLater", returnedCount());
			Leak leak = this.last;
			if (leak != null) {
				Map<String, Object> lastMap = new LinkedHashMap<>();
				lastMap.put("detectedAt", leak.detectedAt().toString());
				if (internals) {
					lastMap.put("thread", leak.thread());
					lastMap.put("connection", leak.connection());
					lastMap.put("stackTrace", leak.borrowedAt());
				}
				map.put("last", lastMap);
			}
		}
		return map;
	}

}
