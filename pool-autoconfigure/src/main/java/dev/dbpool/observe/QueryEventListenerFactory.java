package dev.dbpool.observe;

/**
 * Creates the {@link QueryEventListener} of one observed data source. Beans of this type
 * (Micrometer's, or a user's) are asked once, when the data source is wrapped.
 */
@FunctionalInterface
public interface QueryEventListenerFactory {

	/**
	 * Create a listener.
	 * @param dataSourceName bean name of the data source
	 * @param poolName the Hikari pool name
	 * @return the listener
	 */
	QueryEventListener create(String dataSourceName, String poolName);

}
