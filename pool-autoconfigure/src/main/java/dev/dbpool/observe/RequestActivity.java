package dev.dbpool.observe;

import org.jspecify.annotations.Nullable;

/**
 * Statements per shape within one web request, on the request's thread: autocommit
 * statements, and the shapes of its transactions that stayed below the threshold in each
 * transaction (so a loop of small transactions is seen, and no execution is counted
 * twice). Begun and ended by the servlet filter; a connection reads the current request
 * once, when it is borrowed.
 */
public final class RequestActivity {

	private static final ThreadLocal<RequestActivity> CURRENT = new ThreadLocal<>();

	/**
	 * Whether any request has begun in this JVM. Until one has, no thread can have a
	 * current request, and a borrow reads this field instead of probing its thread's map
	 * for an entry that is not there (an application without the servlet filter, or a
	 * pool's own threads).
	 */
	private static volatile boolean begun;

	final UnitCounts counts = new UnitCounts();

	private RequestActivity() {
	}

	/**
	 * Begin a request on this thread.
	 * @return the request, or {@code null} when one is already open on this thread
	 */
	public static @Nullable RequestActivity begin() {
		if (CURRENT.get() != null) {
			return null;
		}
		RequestActivity request = new RequestActivity();
		begun = true;
		CURRENT.set(request);
		return request;
	}

	/**
	 * End a request begun by {@link #begin()} and report its repeated statements.
	 * @param request the request, {@code null} for a nested call
	 */
	public static void end(@Nullable RequestActivity request) {
		if (request == null) {
			return;
		}
		CURRENT.remove();
		request.counts.forEach((shape, owner, count) -> owner.requestEnded(shape, count));
	}

	static @Nullable RequestActivity current() {
		return begun ? CURRENT.get() : null;
	}

}
