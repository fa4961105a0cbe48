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
 */
public record ObservationOptions(boolean slowQueryLog, Duration slowQueryThreshold, int maxSqlLength, int historySize,
		boolean logParameters, boolean rawSql, int maxShapes) {

}
