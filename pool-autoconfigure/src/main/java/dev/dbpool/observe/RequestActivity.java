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
		return CURRENT.get();
	}

}
