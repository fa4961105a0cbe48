/**
 * The live dashboard page at {@code /dashboard}: static HTML and JavaScript served from
 * the jar that poll {@code /metrics/database} and {@code /health/ready}.
 */
@NullMarked
package dev.dbpool.sample.dashboard;

import org.jspecify.annotations.NullMarked;
