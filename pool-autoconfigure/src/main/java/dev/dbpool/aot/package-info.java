/**
 * Spring AOT and native images: run-time hints, and a startup check that the switches
 * frozen by AOT processing still hold.
 */
@NullMarked
package dev.dbpool.aot;

import org.jspecify.annotations.NullMarked;
