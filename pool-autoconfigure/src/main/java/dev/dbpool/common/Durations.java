package dev.dbpool.common;

import java.time.Duration;

/**
 * How the starter prints a duration, everywhere: {@code 0}, {@code 250ms}, {@code 10s}.
 */
public final class Durations {

	private Durations() {
	}

	/**
	 * The shortest exact form: {@code 0} for zero, whole seconds as {@code 10s}, anything
	 * else in milliseconds ({@code 1500ms}).
	 * @param duration the duration
	 * @return the text
	 */
	public static String format(Duration duration) {
		if (duration.isZero()) {
			return "0";
		}
		return (duration.toMillis() % 1000 == 0) ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
	}

}
