/**
 * Micrometer meters for queries and the pool.
 */
@NullMarked
package dev.dbpool.metrics;

import org.jspecify.annotations.NullMarked;
