/**
 * A real PostgreSQL for tests and the sample application: io.zonky.test binaries run from
 * Java, an external server, or Testcontainers.
 */
@NullMarked
package dev.dbpool.testsupport;

import org.jspecify.annotations.NullMarked;
