/**
 * Redis access for Disker: keys, Lua scripts, connections and the Redis clock.
 * <p>
 * <strong>Internal:</strong> not part of Disker's API. Its types are public only so that
 * Disker's other packages (and applications wiring Disker without Spring Boot) can use
 * them; they may change in any release. The data model they implement is documented in
 * the README.
 */
@NullMarked
package io.disker.redis;

import org.jspecify.annotations.NullMarked;
