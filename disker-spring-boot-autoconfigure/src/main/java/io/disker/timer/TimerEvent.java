package io.disker.timer;

import java.time.Instant;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

/**
 * A timer event handed to a {@link io.disker.annotation.TimerListener @TimerListener}
 * method.
 * <p>
 * A normal return of the method confirms the event; {@link #confirm()} confirms it
 * earlier. An event posted with retries that is not confirmed fires again after the
 * confirm timeout, with {@link #numRetries()} one higher.
 *
 * @param <T> the event type
 * @author Disker team
 * @since 0.1.0
 */
public final class TimerEvent<T> {

	private final String namespace;

	private final String id;

	private final @Nullable T event;

	private final Instant dueAt;

	private final int maxRetries;

	private final int numRetries;

	private final BooleanSupplier confirmation;

	/**
	 * Create an event.
	 * @param namespace the timer namespace
	 * @param id the event id
	 * @param event the event
	 * @param dueAt when this delivery was due (Redis clock)
	 * @param maxRetries the most retries
	 * @param numRetries the retries before this delivery (0 on the first)
	 * @param confirmation confirms the event, returning whether it was awaiting
	 * confirmation
	 */
	public TimerEvent(String namespace, String id, @Nullable T event, Instant dueAt, int maxRetries, int numRetries,
			BooleanSupplier confirmation) {
		this.namespace = namespace;
		this.id = id;
		this.event = event;
		this.dueAt = dueAt;
		this.maxRetries = maxRetries;
		this.numRetries = numRetries;
		this.confirmation = confirmation;
	}

	/**
	 * Return the timer namespace.
	 * @return the namespace
	 */
	public String namespace() {
		return this.namespace;
	}

	/**
	 * Return the event id.
	 * @return the id
	 */
	public String id() {
		return this.id;
	}

	/**
	 * Return the event, converted to the type the listener declares.
	 * @return the event
	 */
	public @Nullable T event() {
		return this.event;
	}

	/**
	 * Return when this delivery was due (Redis clock); the delivery happened at or after
	 * it.
	 * @return the due time
	 */
	public Instant dueAt() {
		return this.dueAt;
	}

	/**
	 * Return the most retries the event was posted with.
	 * @return the most retries
	 */
	public int maxRetries() {
		return this.maxRetries;
	}

	/**
	 * Return how many deliveries of this event came before this one: 0 on the first.
	 * @return the retry number
	 */
	public int numRetries() {
		return this.numRetries;
	}

	/**
	 * Confirm the event now, so that it does not fire again. A normal return of the
	 * listener method does the same.
	 * @return whether the event was awaiting confirmation (false for an event without
	 * retries left, or one confirmed, cancelled or re-posted already)
	 */
	public boolean confirm() {
		return this.confirmation.getAsBoolean();
	}

	@Override
	public String toString() {
		return "TimerEvent[namespace=" + this.namespace + ", id=" + this.id + ", dueAt=" + this.dueAt + ", maxRetries="
				+ this.maxRetries + ", numRetries=" + this.numRetries + ", event=" + this.event + "]";
	}

}
