/**
 * The actor protocol on Redis: membership leases, placement, per-instance inboxes,
 * mailboxes, recovery and fencing.
 * <p>
 * <strong>Internal:</strong> not part of Disker's API. Its types are public only so that
 * Disker's auto-configuration can use them; they may change in any release. Applications
 * use {@link io.disker.actor.ActorSystem} and {@link io.disker.actor.DiskerActor}.
 */
@NullMarked
package io.disker.actor.support;

import org.jspecify.annotations.NullMarked;
