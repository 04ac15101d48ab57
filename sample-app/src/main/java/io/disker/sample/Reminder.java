package io.disker.sample;

/**
 * A reminder, posted to the distributed timer by {@link Reminders}.
 *
 * @param text what to remind of
 * @author Disker team
 * @since 0.1.0
 */
public record Reminder(String text) {
}
