/**
 * Auto-configuration of Disker's actuator endpoint.
 */
@NullMarked
package io.disker.boot.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
