/**
 * Redis access for Disker: keys, Lua scripts, connections and the Redis clock.
 */
@NullMarked
package io.disker.redis;

import org.jspecify.annotations.NullMarked;
