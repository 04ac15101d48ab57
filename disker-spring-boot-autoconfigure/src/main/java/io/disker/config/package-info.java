/**
 * Listener endpoints, the container factory that turns an endpoint into a listener
 * container, and the registry that owns every container of the application.
 */
@NullMarked
package io.disker.config;

import org.jspecify.annotations.NullMarked;
