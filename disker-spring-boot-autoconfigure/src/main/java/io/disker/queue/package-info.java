/**
 * The reliable queue protocol: consumers, leases and recovery of dead consumers.
 */
@NullMarked
package io.disker.queue;

import org.jspecify.annotations.NullMarked;
