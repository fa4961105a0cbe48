package dev.dbpool.observe;

import java.util.List;

import org.jspecify.annotations.Nullable;

/** Several listeners behind one; only built when there is more than one. */
final class CompositeQueryEventListener implements QueryEventListener {

	private final QueryEventListener[] listeners;

	private CompositeQueryEventListener(List<QueryEventListener> listeners) {
		this.listeners = listeners.toArray(QueryEventListener[]::new);
	}

	static QueryEventListener of(List<QueryEventListener> listeners) {
		return switch (listeners.size()) {
			case 0 -> QueryEventListener.NONE;
			case 1 -> listeners.get(0);
			default -> new CompositeQueryEventListener(listeners);
		};
	}

	@Override
	public void succeeded(StatementKind kind, long elapsedNanos) {
		for (QueryEventListener listener : this.listeners) {
			listener.succeeded(kind, elapsedNanos);
		}
	}

	@Override
	public void failed(StatementKind kind, long elapsedNanos, @Nullable String sqlState) {
		for (QueryEventListener listener : this.listeners) {
			listener.failed(kind, elapsedNanos, sqlState);
		}
	}

	@Override
	public void slow(StatementKind kind, long elapsedNanos) {
		for (QueryEventListener listener : this.listeners) {
			listener.slow(kind, elapsedNanos);
		}
	}

	@Override
	public void transactionEnded(int statements, long durationNanos, boolean committed) {
		for (QueryEventListener listener : this.listeners) {
			listener.transactionEnded(statements, durationNanos, committed);
		}
	}

}
