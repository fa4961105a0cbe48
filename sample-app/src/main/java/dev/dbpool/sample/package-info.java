/**
 * The dbpool sample application: retailers and orders served through the starter's pool,
 * and the {@code loadtest} command.
 */
@NullMarked
package dev.dbpool.sample;

import org.jspecify.annotations.NullMarked;
