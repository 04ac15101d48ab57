/**
 * Reads Disker's state from Redis for health, metrics and the Actuator endpoint: queue
 * depths, queue inspection and the liveness of Disker's loops.
 * <p>
 * <strong>Internal:</strong> applications read this state through Actuator
 * ({@code /actuator/health}, {@code /actuator/disker}, the {@code disker.*} meters); the
 * types here may change in any release.
 */
@NullMarked
package io.disker.monitor;

import org.jspecify.annotations.NullMarked;
