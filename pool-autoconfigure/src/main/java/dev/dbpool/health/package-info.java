/**
 * Pool health indicator, readiness and graceful drain.
 */
@NullMarked
package dev.dbpool.health;

import org.jspecify.annotations.NullMarked;
