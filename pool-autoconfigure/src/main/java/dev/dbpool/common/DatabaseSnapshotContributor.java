package dev.dbpool.common;

/**
 * Adds one named section to the {@code /metrics/database} and {@code /actuator/database}
 * snapshot. Capabilities (retry, health, leaks, replicas) contribute their numbers
 * through beans of this type, so the endpoint does not depend on them.
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

}
