package io.disker.timer;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import io.disker.core.DiskerMessage;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.core.log.LogAccessor;
import org.springframework.util.Assert;

/**
 * One delivery of a timer event to this node: what the fired envelope says about it, and
 * its confirmation, shared by every listener method that receives it.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class TimerDelivery {

	static final String NUM_RETRIES = "timer.numRetries";

	static final String MAX_RETRIES = "timer.maxRetries";

	static final String DUE_AT = "timer.dueAt";

	static final String FIRED_AT = "timer.firedAt";

	static final String TOKEN = "timer.token";

	private static final LogAccessor logger = new LogAccessor(TimerDelivery.class);

	private final String namespace;

	private final String id;

	private final @Nullable JsonNode event;

	private final Instant dueAt;

	private final long firedAtMillis;

	private final int maxRetries;

	private final int numRetries;

	private final @Nullable String token;

	private final DTimer timer;

	private final AtomicBoolean confirmed = new AtomicBoolean();

	TimerDelivery(DiskerMessage<JsonNode> message, DTimer timer) {
		this.namespace = message.queue();
		this.id = (message.id() != null) ? message.id() : "";
		this.event = message.payload();
		this.dueAt = Instant.ofEpochMilli(number(message, DUE_AT));
		this.firedAtMillis = number(message, FIRED_AT);
		this.maxRetries = (int) number(message, MAX_RETRIES);
		this.numRetries = (int) number(message, NUM_RETRIES);
		String token = message.header(TOKEN);
		this.token = (token != null && !token.isEmpty()) ? token : null;
		this.timer = timer;
	}

	String namespace() {
		return this.namespace;
	}

	String id() {
		return this.id;
	}

	@Nullable JsonNode event() {
		return this.event;
	}

	Instant dueAt() {
		return this.dueAt;
	}

	/**
	 * Return the Redis time the event was fired at (ms), 0 if unknown.
	 * @return the Redis time the event was fired at (ms), 0 if unknown
	 */
	long firedAtMillis() {
		return this.firedAtMillis;
	}

	int maxRetries() {
		return this.maxRetries;
	}

	int numRetries() {
		return this.numRetries;
	}

	/**
	 * Return whether the event fires again unless confirmed.
	 * @return whether the event fires again unless confirmed
	 */
	boolean hasRetriesLeft() {
		return this.numRetries < this.maxRetries && this.token != null;
	}

	private String token() {
		Assert.state(this.token != null, "A copy without retries left has no delivery token");
		return this.token;
	}

	<T> TimerEvent<T> toEvent(@Nullable T converted) {
		return new TimerEvent<>(this.namespace, this.id, converted, this.dueAt, this.maxRetries, this.numRetries,
				this::confirm);
	}

	/**
	 * Confirm now, once; a delivery without retries left has nothing to confirm.
	 * @return whether the event was confirmed
	 */
	boolean confirm() {
		if (!hasRetriesLeft() || !this.confirmed.compareAndSet(false, true)) {
			return false;
		}
		return this.timer.confirm(this.id, token());
	}

	/**
	 * Confirm after the listeners returned, without waiting; if it fails the event fires
	 * again, as for any unconfirmed event.
	 */
	void confirmInBackground() {
		if (hasRetriesLeft() && this.confirmed.compareAndSet(false, true)) {
			this.timer.confirmAsync(this.id, token()).whenComplete((done, ex) -> {
				if (ex != null) {
					logger.warn(ex, () -> "Could not confirm timer event '" + this.id + "' of namespace '"
							+ this.namespace + "'; it fires again after the confirm timeout");
					this.timer.publishErrorInBackground(this.id, ex);
				}
			});
		}
	}

	private static long number(DiskerMessage<JsonNode> message, String header) {
		String value = message.header(header);
		try {
			return (value != null) ? Long.parseLong(value) : 0;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
