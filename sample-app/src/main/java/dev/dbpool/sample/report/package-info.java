/**
 * A deliberately slow report, for trying the slow-query log and the graceful drain.
 */
@NullMarked
package dev.dbpool.sample.report;

import org.jspecify.annotations.NullMarked;
