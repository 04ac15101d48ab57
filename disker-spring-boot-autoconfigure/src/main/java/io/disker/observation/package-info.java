/**
 * Metrics and observation hooks of Disker.
 */
@NullMarked
package io.disker.observation;

import org.jspecify.annotations.NullMarked;
