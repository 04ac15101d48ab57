/**
 * Annotations that declare Disker listeners, and the infrastructure that processes them.
 */
@NullMarked
package io.disker.annotation;

import org.jspecify.annotations.NullMarked;
