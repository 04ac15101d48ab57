/**
 * A runnable Disker sample: a dispatcher, a pool of order workers and a quote service.
 */
@NullMarked
package io.disker.sample;

import org.jspecify.annotations.NullMarked;
