package io.disker.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A message sent to, or received from, a Disker queue.
 * <p>
 * To send, build one with {@link #to(String)}: <pre class="code">
 * DiskerMessage&lt;Order&gt; message = DiskerMessage.to("worker-1")
 *     .from("dispatcher-1")
 *     .task("resize")
 *     .payload(order)
 *     .header("tenant", "acme")
 *     .timeout(Duration.ofSeconds(2))
 *     .build();
 * operations.send(message);
 * </pre> A received message carries the values the sender set plus the ones Disker
 * assigned: its {@link #id() id}, {@link #createdAt() creation time}, {@link #deadline()
 * deadline} and {@link #attempt() attempt number}. Times come from the Redis server
 * clock.
 *
 * @param <T> the payload type
 * @param id the message id; {@code null} on an outgoing message until Disker assigns one
 * @param queue the queue the message is addressed to
 * @param task the task name, or {@code null}
 * @param sender the named sender (a queue that receives replies), or {@code null}
 * @param replyTo the reply inbox of the requesting application instance, or {@code null}
 * @param correlationId the id of the message this one answers, or {@code null}
 * @param payload the payload, or {@code null}
 * @param headers user headers (never {@code null})
 * @param createdAt when the message was sent, or {@code null} before sending
 * @param deadline when the message stops being deliverable, or {@code null} for never
 * @param attempt the delivery attempt, starting at 1
 * @param timeout the timeout requested by the sender, or {@code null}
 * @param delay the delay before delivery requested by the sender, or {@code null}
 * @param deliverAt the delivery time requested by the sender (Redis clock), or
 * {@code null}
 * @author Disker team
 * @since 0.1.0
 */
public record DiskerMessage<T>(@Nullable String id, String queue, @Nullable String task, @Nullable String sender,
		@Nullable String replyTo, @Nullable String correlationId, @Nullable T payload, Map<String, String> headers,
		@Nullable Instant createdAt, @Nullable Instant deadline, int attempt, @Nullable Duration timeout,
		@Nullable Duration delay, @Nullable Instant deliverAt) {

	public DiskerMessage {
		Assert.hasText(queue, "Missing required argument 'queue'");
		headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
	}

	/**
	 * Start building a message for the given queue.
	 * @param queue the queue (receiver) name
	 * @return a builder
	 */
	public static Builder<Object> to(String queue) {
		return new Builder<>(queue);
	}

	/**
	 * Return the user header with the given name.
	 * @param name the header name
	 * @return the value or {@code null}
	 */
	public @Nullable String header(String name) {
		return this.headers.get(name);
	}

	/**
	 * Return a copy of this message with another payload, keeping every other value.
	 * @param <P> the new payload type
	 * @param newPayload the new payload
	 * @return the copy
	 */
	public <P> DiskerMessage<P> withPayload(@Nullable P newPayload) {
		return new DiskerMessage<>(this.id, this.queue, this.task, this.sender, this.replyTo, this.correlationId,
				newPayload, this.headers, this.createdAt, this.deadline, this.attempt, this.timeout, this.delay,
				this.deliverAt);
	}

	/**
	 * Return a copy with other headers, keeping every other value.
	 * @param newHeaders the headers
	 * @return the copy
	 */
	public DiskerMessage<T> withHeaders(Map<String, String> newHeaders) {
		return new DiskerMessage<>(this.id, this.queue, this.task, this.sender, this.replyTo, this.correlationId,
				this.payload, newHeaders, this.createdAt, this.deadline, this.attempt, this.timeout, this.delay,
				this.deliverAt);
	}

	/**
	 * Builder for outgoing messages.
	 *
	 * @param <T> the payload type
	 */
	public static final class Builder<T> {

		private final String queue;

		private @Nullable String id;

		private @Nullable String task;

		private @Nullable String sender;

		private @Nullable Object payload;

		private final Map<String, String> headers = new LinkedHashMap<>();

		private @Nullable Duration timeout;

		private @Nullable Duration delay;

		private @Nullable Instant deliverAt;

		private Builder(String queue) {
			Assert.hasText(queue, "Missing required argument 'queue'");
			this.queue = queue;
		}

		/**
		 * Set the named sender: replies go to the queue of that name, and timeouts are
		 * reported to its {@code @DiskerTimeoutListener}.
		 * @param sender the sender name
		 * @return this builder
		 */
		public Builder<T> from(String sender) {
			Assert.hasText(sender, "Missing required argument 'sender'");
			this.sender = sender;
			return this;
		}

		/**
		 * Set the task name, which selects the listener method of a queue.
		 * @param task the task name
		 * @return this builder
		 */
		public Builder<T> task(String task) {
			Assert.hasText(task, "'task' must not be empty");
			this.task = task;
			return this;
		}

		/**
		 * Set the payload; it must be serializable as JSON.
		 * @param <P> the payload type
		 * @param payload the payload
		 * @return this builder, typed by the payload
		 */
		@SuppressWarnings("unchecked")
		public <P> Builder<P> payload(@Nullable P payload) {
			this.payload = payload;
			return (Builder<P>) this;
		}

		/**
		 * Add a user header.
		 * @param name the header name
		 * @param value the header value
		 * @return this builder
		 */
		public Builder<T> header(String name, String value) {
			Assert.hasText(name, "'name' must not be empty");
			Assert.notNull(value, "'value' must not be null");
			this.headers.put(name, value);
			return this;
		}

		/**
		 * Set the message id. Sending the same id again within the deduplication window
		 * enqueues the message only once.
		 * @param id the id
		 * @return this builder
		 */
		public Builder<T> id(String id) {
			Assert.hasText(id, "'id' must not be empty");
			this.id = id;
			return this;
		}

		/**
		 * Set how long the message stays deliverable; for a named sender, also when a
		 * missing reply is reported as a timeout.
		 * @param timeout a positive duration
		 * @return this builder
		 */
		public Builder<T> timeout(Duration timeout) {
			Assert.isTrue(timeout != null && !timeout.isNegative() && !timeout.isZero(),
					"'timeout' must be a positive duration");
			this.timeout = timeout;
			return this;
		}

		/**
		 * Delay delivery by the given duration (measured on the Redis clock).
		 * @param delay a non-negative duration
		 * @return this builder
		 */
		public Builder<T> delay(Duration delay) {
			Assert.isTrue(delay != null && !delay.isNegative(), "'delay' must not be negative");
			this.delay = delay;
			this.deliverAt = null;
			return this;
		}

		/**
		 * Deliver at the given time of the Redis clock (at once if it has passed).
		 * @param deliverAt the delivery time
		 * @return this builder
		 */
		public Builder<T> deliverAt(Instant deliverAt) {
			Assert.notNull(deliverAt, "'deliverAt' must not be null");
			this.deliverAt = deliverAt;
			this.delay = null;
			return this;
		}

		/**
		 * Build the message.
		 * @return the message
		 */
		@SuppressWarnings("unchecked")
		public DiskerMessage<T> build() {
			return new DiskerMessage<>(this.id, this.queue, this.task, this.sender, null, null, (T) this.payload,
					this.headers, null, null, 1, this.timeout, this.delay, this.deliverAt);
		}

	}

}
