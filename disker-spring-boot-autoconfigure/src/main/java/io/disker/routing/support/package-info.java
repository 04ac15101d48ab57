/**
 * The Redis side of routing: the binding table of each exchange, its keys and scripts,
 * and topic matching.
 * <p>
 * <strong>Internal:</strong> not part of Disker's API. Its types are public only so that
 * Disker's other packages can use them; they may change in any release. Applications use
 * {@link io.disker.routing.DiskerRouting}.
 */
@NullMarked
package io.disker.routing.support;

import org.jspecify.annotations.NullMarked;
