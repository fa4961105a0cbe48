/**
 * Query observation: slow-query log and query statistics.
 */
@NullMarked
package dev.dbpool.observe;

import org.jspecify.annotations.NullMarked;
