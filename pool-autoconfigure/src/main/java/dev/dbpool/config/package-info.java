/**
 * The configuration of the starter: the {@code db.pool} properties, the table of pool
 * settings and the effective settings resolved from it.
 */
@NullMarked
package dev.dbpool.config;

import org.jspecify.annotations.NullMarked;
