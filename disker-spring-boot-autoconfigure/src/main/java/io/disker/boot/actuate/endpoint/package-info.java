/**
 * Actuator endpoint for Disker.
 */
@NullMarked
package io.disker.boot.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
