package dev.dbpool.health;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Runs a probe on a thread of its own and waits for it at most the timeout. Concurrent
 * callers share the probe in flight instead of starting another, so a database that hangs
 * ties up one thread, not one per health request.
 */
public final class SingleFlightProbe implements AutoCloseable {

	private final Supplier<ProbeResult> probe;

	private final Duration timeout;

	private final ExecutorService executor;

	private final Object lock = new Object();

	private @Nullable CompletableFuture<ProbeResult> inFlight;

	/**
	 * Create a runner.
	 * @param probe the blocking probe
	 * @param timeout longest time a caller waits
	 * @param threadName name of the probe thread
	 */
	public SingleFlightProbe(Supplier<ProbeResult> probe, Duration timeout, String threadName) {
		this.probe = probe;
		this.timeout = timeout;
		this.executor = Executors.newSingleThreadExecutor((runnable) -> {
			Thread thread = new Thread(runnable, threadName);
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Start a probe without waiting for it, so that the first health request finds the
	 * probe connection open.
	 */
	public void prime() {
		inFlightOrNew();
	}

	/**
	 * Join the probe in flight or start one, and wait for it within the timeout.
	 * @return the probe's result, or a timed-out result
	 */
	public ProbeResult run() {
		CompletableFuture<ProbeResult> current = inFlightOrNew();
		if (current == null) {
			return new ProbeResult(ProbeResult.Outcome.FAILED, 0, null, "health check is shut down");
		}
		try {
			return current.get(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			return ProbeResult.timedOut(this.timeout);
		}
		catch (ExecutionException ex) {
			return ProbeResult.failed((ex.getCause() != null) ? ex.getCause() : ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return ProbeResult.timedOut(this.timeout);
		}
	}

	private @Nullable CompletableFuture<ProbeResult> inFlightOrNew() {
		synchronized (this.lock) {
			CompletableFuture<ProbeResult> current = this.inFlight;
			if (current == null || current.isDone()) {
				try {
					current = CompletableFuture.supplyAsync(this.probe, this.executor);
				}
				catch (RejectedExecutionException ex) {
					return null;
				}
				this.inFlight = current;
			}
			return current;
		}
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

}
