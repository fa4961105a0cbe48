package dev.dbpool.observe;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * Executions per statement shape within one unit of work (a transaction or a web
 * request): a small open-addressing table keyed by shape identity, used by one thread at
 * a time. Memory is bounded: at most {@link #MAX_SHAPES} shapes are counted per unit;
 * further shapes in the same unit are not counted.
 */
final class UnitCounts {

	/** Distinct shapes counted per unit. */
	static final int MAX_SHAPES = 64;

	private static final int INITIAL_CAPACITY = 8;

	private @Nullable StatementShape @Nullable [] shapes;

	private int @Nullable [] counts;

	private @Nullable TransactionTracking @Nullable [] owners;

	private int size;

	private int max;

	/**
	 * Count executions of a shape.
	 * @param shape the shape
	 * @param owner the tracking the shape belongs to
	 * @param executions how many executions to add
	 */
	void add(StatementShape shape, TransactionTracking owner, int executions) {
		StatementShape[] keys = this.shapes;
		int[] values = this.counts;
		TransactionTracking[] sinks = this.owners;
		if (keys == null || values == null || sinks == null) {
			keys = new StatementShape[INITIAL_CAPACITY];
			values = new int[INITIAL_CAPACITY];
			sinks = new TransactionTracking[INITIAL_CAPACITY];
			this.shapes = keys;
			this.counts = values;
			this.owners = sinks;
		}
		int mask = keys.length - 1;
		int index = slot(shape, mask);
		while (true) {
			StatementShape key = keys[index];
			if (key == shape) {
				int count = values[index] + executions;
				values[index] = count;
				if (count > this.max) {
					this.max = count;
				}
				return;
			}
			if (key == null) {
				break;
			}
			index = (index + 1) & mask;
		}
		if (this.size >= MAX_SHAPES) {
			return;
		}
		if ((this.size + 1) * 2 > keys.length) {
			grow(keys, values, sinks);
			add(shape, owner, executions);
			return;
		}
		keys[index] = shape;
		values[index] = executions;
		sinks[index] = owner;
		this.size++;
		if (executions > this.max) {
			this.max = executions;
		}
	}

	private void grow(StatementShape[] keys, int[] values, TransactionTracking[] sinks) {
		int capacity = keys.length * 2;
		StatementShape[] newKeys = new StatementShape[capacity];
		int[] newValues = new int[capacity];
		TransactionTracking[] newSinks = new TransactionTracking[capacity];
		int mask = capacity - 1;
		for (int i = 0; i < keys.length; i++) {
			StatementShape key = keys[i];
			if (key != null) {
				int index = slot(key, mask);
				while (newKeys[index] != null) {
					index = (index + 1) & mask;
				}
				newKeys[index] = key;
				newValues[index] = values[i];
				newSinks[index] = sinks[i];
			}
		}
		this.shapes = newKeys;
		this.counts = newValues;
		this.owners = newSinks;
	}

	private static int slot(StatementShape shape, int mask) {
		int hash = System.identityHashCode(shape);
		return (hash ^ (hash >>> 16)) * 0x9E3779B1 >>> 8 & mask;
	}

	/** Largest count of one shape in this unit. */
	int max() {
		return this.max;
	}

	/** Number of distinct shapes counted. */
	int size() {
		return this.size;
	}

	/**
	 * Visit every counted shape.
	 * @param visitor receives shape, owner and count
	 */
	void forEach(Visitor visitor) {
		StatementShape[] keys = this.shapes;
		int[] values = this.counts;
		TransactionTracking[] sinks = this.owners;
		if (keys == null || values == null || sinks == null || this.size == 0) {
			return;
		}
		for (int i = 0; i < keys.length; i++) {
			StatementShape key = keys[i];
			TransactionTracking owner = sinks[i];
			if (key != null && owner != null) {
				visitor.visit(key, owner, values[i]);
			}
		}
	}

	/** Forget every count, keeping the table for the next unit. */
	void clear() {
		if (this.size > 0 && this.shapes != null && this.counts != null && this.owners != null) {
			Arrays.fill(this.shapes, null);
			Arrays.fill(this.counts, 0);
			Arrays.fill(this.owners, null);
		}
		this.size = 0;
		this.max = 0;
	}

	/** Receives the counts of a unit. */
	@FunctionalInterface
	interface Visitor {

		void visit(StatementShape shape, TransactionTracking owner, int count);

	}

}
