/**
 * The dbpool starter: a production-tuned HikariCP and PostgreSQL DataSource for Spring
 * Boot.
 */
@NullMarked
package dev.dbpool;

import org.jspecify.annotations.NullMarked;
