package dev.dbpool.observe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Statement shapes that one transaction or one web request ran at least the threshold
 * number of times (the N+1 pattern), with a WARN per shape at most once per interval.
 * Holds at most {@link #MAX_ENTRIES} shapes; the one seen longest ago makes room.
 */
public final class RepeatedStatements {

	/** Shapes kept. */
	static final int MAX_ENTRIES = 100;

	private static final Logger logger = LoggerFactory.getLogger(RepeatedStatements.class);

	private final int threshold;

	private final long warnIntervalNanos;

	private final Clock clock;

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	RepeatedStatements(int threshold, Duration warnInterval, Clock clock) {
		this.threshold = threshold;
		this.warnIntervalNanos = warnInterval.toNanos();
		this.clock = clock;
	}

	void record(StatementShape shape, int count, Unit unit) {
		Entry entry = this.entries.get(shape.shape());
		if (entry == null) {
			entry = add(shape);
		}
		entry.perUnit.accumulate(count);
		entry.units.increment();
		if (unit == Unit.REQUEST) {
			entry.requests.increment();
		}
		entry.lastSeen = this.clock.instant();
		long now = System.nanoTime();
		long warned = entry.lastWarnedNanos.get();
		if ((warned == 0 || now - warned >= this.warnIntervalNanos)
				&& entry.lastWarnedNanos.compareAndSet(warned, now)) {
			warn(shape, count, unit);
		}
	}

	private synchronized Entry add(StatementShape shape) {
		Entry existing = this.entries.get(shape.shape());
		if (existing != null) {
			return existing;
		}
		if (this.entries.size() >= MAX_ENTRIES) {
			this.entries.values()
				.stream()
				.min(Comparator.comparing((Entry entry) -> entry.lastSeen))
				.ifPresent((oldest) -> this.entries.remove(oldest.shape));
		}
		Entry entry = new Entry(shape.shape(), shape.kind(), this.clock.instant());
		this.entries.put(shape.shape(), entry);
		return entry;
	}

	private void warn(StatementShape shape, int count, Unit unit) {
		String remedy = (shape.kind() == StatementKind.SELECT)
				? "load the rows in one statement with a join or an IN list (WHERE id = ANY(?))"
				: "send the rows as one JDBC batch (addBatch/executeBatch) or one multi-row statement";
		logger.atWarn()
			.addKeyValue("shape", shape.shape())
			.addKeyValue("executions", count)
			.addKeyValue("unit", unit.label)
			.log("Repeated statement: one {} ran this statement {} times (threshold {}): {}. Likely N+1: {}.",
					unit.label, count, this.threshold, shape.shape(), remedy);
	}

	/**
	 * The repeated shapes, the largest count per unit first.
	 * @return a copy
	 */
	public List<Summary> summaries() {
		List<Summary> list = new ArrayList<>(this.entries.size());
		for (Entry entry : this.entries.values()) {
			list.add(new Summary(entry.shape, entry.kind, (int) entry.perUnit.get(), entry.units.sum(),
					entry.requests.sum(), entry.lastSeen));
		}
		list.sort(Comparator.comparingInt(Summary::perTransaction).reversed().thenComparing(Summary::shape));
		return list;
	}

	void reset() {
		this.entries.clear();
	}

	/** What kind of unit ran a shape repeatedly. */
	enum Unit {

		TRANSACTION("transaction"), REQUEST("web request");

		private final String label;

		Unit(String label) {
			this.label = label;
		}

	}

	private static final class Entry {

		private final String shape;

		private final StatementKind kind;

		private final LongAccumulator perUnit = new LongAccumulator(Math::max, 0);

		private final LongAdder units = new LongAdder();

		private final LongAdder requests = new LongAdder();

		private final AtomicLong lastWarnedNanos = new AtomicLong();

		private volatile Instant lastSeen;

		Entry(String shape, StatementKind kind, Instant now) {
			this.shape = shape;
			this.kind = kind;
			this.lastSeen = now;
		}

	}

	/**
	 * One entry of {@code repeatedStatements}.
	 *
	 * @param shape the statement shape (literals masked)
	 * @param kind what the statement does
	 * @param perTransaction the largest number of executions in one unit (a transaction
	 * or a web request)
	 * @param transactions how many units ran it at least the threshold number of times
	 * @param requests how many of those units were web requests
	 * @param lastSeen when a unit last did
	 */
	public record Summary(String shape, StatementKind kind, int perTransaction, long transactions, long requests,
			Instant lastSeen) {

	}

}
