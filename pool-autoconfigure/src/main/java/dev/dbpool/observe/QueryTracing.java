package dev.dbpool.observe;

/**
 * Decides, once per pool, whether its statements and connection acquisitions are also
 * Micrometer Observations. Kept apart so that nothing of Micrometer Observation is loaded
 * when it is not on the class path.
 */
interface QueryTracing {

	/**
	 * The instrumentation of one pool.
	 * @param dataSourceName the data source's bean name
	 * @param timed the timed block alone
	 * @return {@code timed} when there is nothing to trace to, otherwise {@code timed}
	 * inside observations
	 */
	Instrumentation instrument(String dataSourceName, Instrumentation timed);

}
