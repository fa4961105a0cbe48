/**
 * A real PostgreSQL for tests: the embedded server of {@code dev.dbpool.embedded}, an
 * external server, or Testcontainers; and PgBouncer in front of it.
 */
@NullMarked
package dev.dbpool.testsupport;

import org.jspecify.annotations.NullMarked;
