/**
 * The control channel (the Disker seed's {@code ControlChannel}): at-most-once broadcast
 * between named parties over Redis publish/subscribe. Entry point:
 * {@link io.disker.control.ControlChannel}.
 */
@NullMarked
package io.disker.control;

import org.jspecify.annotations.NullMarked;
