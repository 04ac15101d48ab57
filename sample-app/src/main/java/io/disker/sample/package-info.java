/**
 * A runnable Disker sample: a dispatcher, a pool of order workers, a quote service and
 * timer reminders, with Actuator endpoints over HTTP.
 */
@NullMarked
package io.disker.sample;

import org.jspecify.annotations.NullMarked;
