/**
 * Retry of transient PostgreSQL failures: classification, backoff, budget and the retry
 * aspect.
 */
@NullMarked
package dev.dbpool.retry;

import org.jspecify.annotations.NullMarked;
