/**
 * Building the tuned HikariCP DataSource from properties, URL parameters and environment
 * aliases.
 */
@NullMarked
package dev.dbpool.datasource;

import org.jspecify.annotations.NullMarked;
