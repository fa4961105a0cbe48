package dev.dbpool.sample.loadtest;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;
import java.util.stream.Collectors;

import org.springframework.core.task.VirtualThreadTaskExecutor;

/**
 * What the virtual users run on, as {@code --threads} names it: one platform thread each,
 * or one virtual thread each (Java 21 and later).
 */
public enum ClientThreads {

	/** One platform thread per user. */
	PLATFORM {

		@Override
		ThreadFactory threadFactory() {
			return (user) -> {
				Thread thread = new Thread(user);
				thread.setDaemon(true);
				return thread;
			};
		}

	},

	/**
	 * One virtual thread per user, as with {@code spring.threads.virtual.enabled=true}.
	 */
	VIRTUAL {

		@Override
		ThreadFactory threadFactory() {
			return new VirtualThreadTaskExecutor(NAME_PREFIX).getVirtualThreadFactory();
		}

	};

	/** First Java version with virtual threads. */
	static final int VIRTUAL_THREADS_SINCE = 21;

	private static final String NAME_PREFIX = "loadtest-user-";

	/**
	 * Unstarted threads for the users; daemon threads, so that they never hold up exit.
	 */
	abstract ThreadFactory threadFactory();

	/** Lower-case name, as typed on the command line and shown in reports. */
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Every label, for messages: {@code platform, virtual}. */
	public static String labels() {
		return Arrays.stream(values()).map(ClientThreads::label).collect(Collectors.joining(", "));
	}

	/** Whether this JVM has virtual threads. */
	static boolean virtualThreadsAvailable() {
		return Runtime.version().feature() >= VIRTUAL_THREADS_SINCE;
	}

}
