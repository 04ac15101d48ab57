/**
 * Auto-configuration of Disker's Micrometer metrics.
 */
@NullMarked
package io.disker.boot.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
