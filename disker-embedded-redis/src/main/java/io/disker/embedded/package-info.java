/**
 * A development redis-server started with the application
 * ({@code disker.embedded-redis.enabled=true}): add this module for development only.
 */
@NullMarked
package io.disker.embedded;

import org.jspecify.annotations.NullMarked;
