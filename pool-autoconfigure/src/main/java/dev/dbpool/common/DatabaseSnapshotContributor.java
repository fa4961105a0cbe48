package dev.dbpool.common;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Adds one named section to the {@code /metrics/database} and {@code /actuator/database}
 * snapshot. Capabilities (observation, retry, health, leaks, replicas) contribute their
 * numbers through beans of this type, so the endpoint does not depend on them. Sections
 * appear in the beans' {@code @Order}.
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
	 * @return the section's content, or null to leave the section out this time
	 */
	@Nullable Object snapshot();

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

	/**
	 * Entries this capability adds to the snapshot's {@code config} section when the
	 * effective pool settings do not already give them.
	 * @return the entries, empty by default
	 */
	default Map<String, Object> config() {
		return Map.of();
	}

	/**
	 * Zero what this section counts (Actuator's reset of the snapshot).
	 * @return whether there was anything to reset
	 */
	default boolean reset() {
		return false;
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
