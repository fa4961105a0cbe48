/**
 * Shared vocabulary at the bottom of the package graph: the startup failure types and
 * their analyzer, the snapshot contributor interface, the secret policy and the catalogue
 * of meter names. Imports no capability.
 */
@NullMarked
package dev.dbpool.common;

import org.jspecify.annotations.NullMarked;
