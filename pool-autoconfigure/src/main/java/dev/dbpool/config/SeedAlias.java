package dev.dbpool.config;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * An environment variable the seed documents use for a setting, with the seed's unit: a
 * bare number in {@code DB_POOL_TIMEOUT} is seconds, in {@code DB_QUERY_TIMEOUT}
 * milliseconds.
 *
 * @param variable the environment variable
 * @param unit the unit of a bare number in it
 */
public record SeedAlias(String variable, Unit unit) {

	/** How a seed alias's text is read. */
	public enum Unit {

		/** Text, taken as given. */
		TEXT(null),

		/** A whole number. */
		COUNT(null),

		/** A whole number of seconds. */
		SECONDS("s"),

		/** A whole number of milliseconds. */
		MILLISECONDS("ms");

		private final @Nullable String suffix;

		Unit(@Nullable String suffix) {
			this.suffix = suffix;
		}

		/** The unit as the docs show it. */
		public String label() {
			return switch (this) {
				case TEXT -> "text";
				case COUNT -> "count";
				case SECONDS -> "seconds";
				case MILLISECONDS -> "milliseconds";
			};
		}

		/**
		 * The alias's text in {@code db.pool.*} form: {@code 10} becomes {@code 10s} for
		 * seconds.
		 * @param raw the variable's text
		 * @return the text a {@code db.pool.*} property would hold
		 * @throws IllegalArgumentException with the expected form as message
		 */
		public String toPropertyText(String raw) {
			if (this == TEXT) {
				return raw;
			}
			long number;
			try {
				number = Long.parseLong(raw.trim());
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException(
						(this == COUNT) ? "a whole number" : "a whole number of " + label().toLowerCase(Locale.ROOT));
			}
			return (this.suffix != null) ? number + this.suffix : Long.toString(number);
		}

		/** An example of a valid text. */
		public String example() {
			return (this == MILLISECONDS) ? "1000" : "10";
		}

	}

}
