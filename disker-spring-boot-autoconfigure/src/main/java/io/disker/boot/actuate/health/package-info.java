/**
 * Actuator health indicator for Disker.
 */
@NullMarked
package io.disker.boot.actuate.health;

import org.jspecify.annotations.NullMarked;
