/**
 * The database snapshot at /metrics/database and /actuator/database.
 */
@NullMarked
package dev.dbpool.endpoint;

import org.jspecify.annotations.NullMarked;
