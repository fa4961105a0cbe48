/**
 * Side-by-side benchmark of the starter's DataSource against raw HikariCP,
 * connect-per-request, a dedicated connection per thread and pgbench.
 */
@NullMarked
package dev.dbpool.benchmark;

import org.jspecify.annotations.NullMarked;
