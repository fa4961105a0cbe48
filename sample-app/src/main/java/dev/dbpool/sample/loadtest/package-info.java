/**
 * The {@code loadtest} command: virtual users borrowing connections from the starter's
 * pool, acquisition and execution measured apart, and a PASS/FAIL report.
 */
@NullMarked
package dev.dbpool.sample.loadtest;

import org.jspecify.annotations.NullMarked;
