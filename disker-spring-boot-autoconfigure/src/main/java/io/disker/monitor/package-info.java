/**
 * Reads Disker's state from Redis for health, metrics and the Actuator endpoint: queue
 * depths, queue inspection and the liveness of Disker's loops.
 */
@NullMarked
package io.disker.monitor;

import org.jspecify.annotations.NullMarked;
