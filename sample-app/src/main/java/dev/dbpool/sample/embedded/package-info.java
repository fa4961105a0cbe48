/**
 * An embedded PostgreSQL for the sample application when no database is configured,
 * stopped with the application after its pool.
 */
@NullMarked
package dev.dbpool.sample.embedded;

import org.jspecify.annotations.NullMarked;
