package io.disker.timer;

import java.time.Instant;

/**
 * A timer event waiting for its first delivery, as {@link DTimer#upcoming} lists it.
 *
 * @param <T> the event type ({@code JsonNode} unless a type was given)
 * @param id the event id
 * @param event the event
 * @param dueAt when it is due (Redis clock)
 * @author Disker team
 * @since 0.1.0
 */
public record UpcomingEvent<T>(String id, T event, Instant dueAt) {

}
