/**
 * Actors: stateful, addressable workers that live on the application instances of a
 * cluster, called with {@link io.disker.actor.ActorRef#ask ask} and
 * {@link io.disker.actor.ActorRef#tell tell} through Redis, placed on the least-loaded
 * live instance and recovered elsewhere when their instance dies
 * ({@link io.disker.actor.ActorSystem},
 * {@link io.disker.actor.DiskerActor @DiskerActor}).
 */
@NullMarked
package io.disker.actor;

import org.jspecify.annotations.NullMarked;
