package dev.dbpool.endpoint;

/**
 * Adds one named section to the {@code /metrics/database} and {@code /actuator/database}
 * snapshot. Capabilities (retry, health, leaks, replicas) contribute their numbers
 * through beans of this type, so the endpoint does not depend on them.
 * <p>
 * A section is {@linkplain Visibility#INTERNAL internal} unless it says otherwise:
 * internal sections are shown by Actuator's {@code database} endpoint only, public ones
 * on the application port too.
 */
@FunctionalInterface
public interface DatabaseSnapshotContributor {

	/**
	 * Return the section's content, rendered as JSON: a {@code Map}, a record or a simple
	 * value. Called on every request; must be cheap and must never include a secret.
	 * @return the section's content
	 */
	Object snapshot();

	/**
	 * Name of the section in the snapshot.
	 * @return the JSON field name
	 */
	default String section() {
		return getClass().getSimpleName();
	}

	/**
	 * Where the section may be shown. Return {@link Visibility#PUBLIC} only for counts
	 * and settings that say nothing about addresses, accounts, code or data.
	 * @return the section's visibility; {@link Visibility#INTERNAL} by default
	 */
	default Visibility visibility() {
		return Visibility.INTERNAL;
	}

	/** Who may see a section. */
	enum Visibility {

		/**
		 * Shown on the application port ({@code /metrics/database}) and by Actuator.
		 */
		PUBLIC,

		/**
		 * Shown by Actuator's {@code database} endpoint only, or on the application port
		 * when {@code db.pool.endpoint.show-internals=true}.
		 */
		INTERNAL

	}

}
