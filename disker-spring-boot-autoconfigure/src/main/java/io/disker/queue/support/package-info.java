/**
 * The reliable queue protocol: consumers, leases, recovery of dead consumers and the
 * scheduling of due messages.
 * <p>
 * <strong>Internal:</strong> not part of Disker's API. Its types are public only so that
 * Disker's other packages can use them; they may change in any release. Applications use
 * {@link io.disker.core.DiskerOperations}, the listener annotations and
 * {@link io.disker.queue.DeadLetters}.
 */
@NullMarked
package io.disker.queue.support;

import org.jspecify.annotations.NullMarked;
