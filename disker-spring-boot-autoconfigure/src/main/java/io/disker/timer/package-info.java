/**
 * The distributed timer: delayed events stored in Redis that fire once, at or after their
 * due time, on exactly one joined listener ({@link io.disker.timer.DTimer},
 * {@link io.disker.annotation.TimerListener @TimerListener}).
 */
@NullMarked
package io.disker.timer;

import org.jspecify.annotations.NullMarked;
