package dev.dbpool.observe;

import java.time.Duration;

/**
 * What the observation of a pool records, decided once when the pool is wrapped.
 *
 * @param slowQueryLog whether slow statements are logged and kept
 * @param slowQueryThreshold elapsed time from which a statement counts as slow
 * @param maxSqlLength longest SQL kept in a log line, the history or a shape
 * @param historySize number of recent slow statements kept
 * @param logParameters whether bind parameters are logged with a slow statement
 * @param rawSql whether slow statements keep their literal values instead of '?'
 * @param maxShapes number of distinct statement shapes tracked
 * @param trackTransactions whether statements are counted per transaction and request
 * @param repeatedThreshold executions of one shape in one transaction or request from
 * which it is reported as repeated
 * @param repeatedWarnInterval shortest time between two warnings about one repeated shape
 * @param plans whether the plans of slow statements are captured
 * @param plansPerMinute most plans captured in one minute
 * @param planCacheTime how long the plan of a shape is reused
 * @param planTimeout longest time one plan capture may take
 */
public record ObservationOptions(boolean slowQueryLog, Duration slowQueryThreshold, int maxSqlLength, int historySize,
		boolean logParameters, boolean rawSql, int maxShapes, boolean trackTransactions, int repeatedThreshold,
		Duration repeatedWarnInterval, boolean plans, int plansPerMinute, Duration planCacheTime,
		Duration planTimeout) {

}
