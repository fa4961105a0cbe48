/**
 * Parsing of libpq, Prisma and JDBC database URLs; no Spring inside.
 */
@NullMarked
package dev.dbpool.url;

import org.jspecify.annotations.NullMarked;
