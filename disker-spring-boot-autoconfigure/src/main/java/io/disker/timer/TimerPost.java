package io.disker.timer;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * An event to post to a {@link DTimer}, with its options: <pre class="code">
 * dTimer.post(TimerPost.of(reminder).id("reminder-42").maxRetries(3).delay(Duration.ofMinutes(5)));
 * </pre> Each method returns a copy; nothing is checked before
 * {@link DTimer#post(TimerPost)}.
 *
 * @param <T> the event type
 * @param event the event, any value that serializes to JSON other than {@code null}
 * @param id the event id, any non-empty string of at most {@value DTimer#MAX_ID_LENGTH}
 * characters; {@code null} for a generated UUID. Posting an id that is scheduled replaces
 * that event.
 * @param maxRetries how often the event fires again when it is not confirmed within the
 * confirm timeout; 0 (or negative) for no retry
 * @param delay the delay before the event is due, from the time Redis stores it; zero or
 * negative for now
 * @author Disker team
 * @since 0.1.0
 */
public record TimerPost<T>(@Nullable T event, @Nullable String id, int maxRetries, @Nullable Duration delay) {

	/**
	 * Check the options that need no Redis: a negative retry count is a mistake, not "no
	 * retry".
	 * @param event the event
	 * @param id the event id
	 * @param maxRetries the most retries, zero or more
	 * @param delay the delay
	 */
	public TimerPost {
		if (maxRetries < 0) {
			throw new IllegalArgumentException("'maxRetries' must not be negative, but was " + maxRetries);
		}
		if (id != null && id.isEmpty()) {
			throw new IllegalArgumentException("'id' must not be empty");
		}
		if (id != null && id.length() > DTimer.MAX_ID_LENGTH) {
			throw new IllegalArgumentException("'id' must be at most " + DTimer.MAX_ID_LENGTH + " characters long");
		}
	}

	/**
	 * Start a post of an event: generated id, no retry, due now.
	 * @param <T> the event type
	 * @param event the event
	 * @return the post
	 */
	public static <T> TimerPost<T> of(@Nullable T event) {
		return new TimerPost<>(event, null, 0, Duration.ZERO);
	}

	/**
	 * Return a copy with the given event id.
	 * @param id the id, or {@code null} for a generated UUID
	 * @return the copy
	 */
	public TimerPost<T> id(@Nullable String id) {
		return new TimerPost<>(this.event, id, this.maxRetries, this.delay);
	}

	/**
	 * Return a copy with the given retry count.
	 * @param maxRetries the most retries, zero or more
	 * @return the copy
	 * @throws IllegalArgumentException if it is negative
	 */
	public TimerPost<T> maxRetries(int maxRetries) {
		return new TimerPost<>(this.event, this.id, maxRetries, this.delay);
	}

	/**
	 * Return a copy with the given delay.
	 * @param delay the delay
	 * @return the copy
	 */
	public TimerPost<T> delay(@Nullable Duration delay) {
		return new TimerPost<>(this.event, this.id, this.maxRetries, delay);
	}

}
