package dev.dbpool.observe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of finished transactions and the longest ones of the last
 * {@link #RECENT_WINDOW}. Updated when a transaction ends; the list of the longest is
 * locked only for a transaction long enough to enter it.
 */
public final class TransactionStatistics {

	/** How many of the longest recent transactions are kept. */
	static final int LONGEST_KEPT = 5;

	/** How long a transaction stays among the longest recent ones. */
	static final Duration RECENT_WINDOW = Duration.ofMinutes(10);

	/** Shapes shown per transaction in the longest list. */
	private static final int SHAPES_SHOWN = 3;

	private final Clock clock;

	private final LongAdder committed = new LongAdder();

	private final LongAdder rolledBack = new LongAdder();

	private final LongAdder statements = new LongAdder();

	private final LongAdder totalNanos = new LongAdder();

	private final LongAccumulator maxStatements = new LongAccumulator(Math::max, 0);

	private final List<Longest> longest = new ArrayList<>(LONGEST_KEPT + 1);

	/** Duration a transaction must exceed to enter the full list; -1 while not full. */
	private volatile long floorNanos = -1;

	/** When the oldest kept entry leaves the window, as {@link System#nanoTime()}. */
	private volatile long expiryNanos = Long.MAX_VALUE;

	TransactionStatistics(Clock clock) {
		this.clock = clock;
	}

	void record(int statementCount, long durationNanos, boolean commit, UnitCounts counts) {
		(commit ? this.committed : this.rolledBack).increment();
		this.statements.add(statementCount);
		this.totalNanos.add(durationNanos);
		this.maxStatements.accumulate(statementCount);
		if (durationNanos > this.floorNanos || System.nanoTime() >= this.expiryNanos) {
			offer(statementCount, durationNanos, commit, counts);
		}
	}

	private synchronized void offer(int statementCount, long durationNanos, boolean commit, UnitCounts counts) {
		long now = System.nanoTime();
		long windowNanos = RECENT_WINDOW.toNanos();
		this.longest.removeIf((entry) -> now - entry.endedNanos >= windowNanos);
		if (this.longest.size() < LONGEST_KEPT
				|| durationNanos > this.longest.get(this.longest.size() - 1).durationNanos) {
			this.longest
				.add(new Longest(durationNanos, statementCount, commit, this.clock.instant(), now, topShapes(counts)));
			this.longest.sort(Comparator.comparingLong((Longest entry) -> entry.durationNanos).reversed());
			if (this.longest.size() > LONGEST_KEPT) {
				this.longest.remove(this.longest.size() - 1);
			}
		}
		this.floorNanos = (this.longest.size() < LONGEST_KEPT) ? -1
				: this.longest.get(this.longest.size() - 1).durationNanos;
		long oldest = Long.MAX_VALUE;
		for (Longest entry : this.longest) {
			oldest = Math.min(oldest, entry.endedNanos + windowNanos);
		}
		this.expiryNanos = oldest;
	}

	private static List<String> topShapes(UnitCounts counts) {
		List<ShapeCount> all = new ArrayList<>(counts.size());
		counts.forEach((shape, owner, count) -> all.add(new ShapeCount(shape.shape(), count)));
		all.sort(Comparator.comparingInt(ShapeCount::count).reversed().thenComparing(ShapeCount::shape));
		List<String> shown = new ArrayList<>(Math.min(all.size(), SHAPES_SHOWN));
		for (ShapeCount each : all.subList(0, Math.min(all.size(), SHAPES_SHOWN))) {
			shown.add(each.count() + " x " + each.shape());
		}
		return shown;
	}

	/**
	 * The counters and the longest recent transactions.
	 * @return a snapshot
	 */
	public synchronized Snapshot snapshot() {
		long now = System.nanoTime();
		long windowNanos = RECENT_WINDOW.toNanos();
		List<LongTransaction> recent = new ArrayList<>(this.longest.size());
		for (Longest entry : this.longest) {
			if (now - entry.endedNanos < windowNanos) {
				recent.add(new LongTransaction(entry.durationNanos / 1_000_000.0, entry.statements,
						entry.commit ? "commit" : "rollback", entry.endedAt, entry.shapes));
			}
		}
		long commits = this.committed.sum();
		long rollbacks = this.rolledBack.sum();
		long count = commits + rollbacks;
		double averageStatements = (count > 0) ? this.statements.sum() / (double) count : 0.0;
		double averageMillis = (count > 0) ? this.totalNanos.sum() / (double) count / 1_000_000.0 : 0.0;
		return new Snapshot(count, commits, rollbacks, averageStatements, averageMillis, this.maxStatements.get(),
				recent);
	}

	synchronized void reset() {
		this.committed.reset();
		this.rolledBack.reset();
		this.statements.reset();
		this.totalNanos.reset();
		this.maxStatements.reset();
		this.longest.clear();
		this.floorNanos = -1;
		this.expiryNanos = Long.MAX_VALUE;
	}

	private record ShapeCount(String shape, int count) {
	}

	private record Longest(long durationNanos, int statements, boolean commit, Instant endedAt, long endedNanos,
			List<String> shapes) {
	}

	/**
	 * The {@code transactions} section.
	 *
	 * @param count transactions finished (that ran at least one statement)
	 * @param committed of which ended in a commit
	 * @param rolledBack of which ended in a rollback (including connections closed with a
	 * transaction open)
	 * @param averageStatements mean statements per transaction
	 * @param averageDuration mean duration in milliseconds
	 * @param maxStatements most statements in one transaction
	 * @param longest the longest transactions of the last ten minutes, longest first
	 */
	public record Snapshot(long count, long committed, long rolledBack, double averageStatements,
			double averageDuration, long maxStatements, List<LongTransaction> longest) {

	}

	/**
	 * One of the longest recent transactions.
	 *
	 * @param duration from begin to commit or rollback, in milliseconds
	 * @param statements statements it ran
	 * @param outcome {@code commit} or {@code rollback}
	 * @param endedAt when it ended
	 * @param shapes its most executed shapes, as {@code count x shape}
	 */
	public record LongTransaction(double duration, int statements, String outcome, Instant endedAt,
			List<String> shapes) {

	}

}
