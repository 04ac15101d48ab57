package io.disker.timer;

import java.time.Duration;

/**
 * A scheduled timer event, as {@link DTimer#peek(String, Class)} reads it.
 *
 * @param <T> the event type
 * @param id the event id
 * @param event the event
 * @param remaining the time until it fires (for an event awaiting confirmation: until its
 * next retry, or the whole confirm timeout while no listener has received it yet); zero
 * if overdue
 * @param state whether it waits for its first delivery or for a confirmation
 * @param maxRetries the most retries
 * @param numRetries the retry number its next delivery carries (0 before the first
 * delivery)
 * @author Disker team
 * @since 0.1.0
 */
public record ScheduledEvent<T>(String id, T event, Duration remaining, TimerState state, int maxRetries,
		int numRetries) {

}
