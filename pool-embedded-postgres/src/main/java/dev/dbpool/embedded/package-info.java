/**
 * A real PostgreSQL run from io.zonky's binaries and controlled from Java, for the sample
 * application's zero-setup mode, the benchmarks and the tests. Not for production data.
 */
@NullMarked
package dev.dbpool.embedded;

import org.jspecify.annotations.NullMarked;
