/**
 * Listener containers, endpoints and the registry that owns them.
 */
@NullMarked
package io.disker.listener;

import org.jspecify.annotations.NullMarked;
