package io.disker.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A message to send, built with {@link DiskerMessage#to(String)}: what the sender
 * chooses, including the options that only matter while sending (a delay or a delivery
 * time). Disker assigns the rest (the id unless given, the creation time, the deadline)
 * and a listener receives it as a {@link DiskerMessage}. <pre class="code">
 * operations.send(DiskerMessage.to("worker-1")
 *     .from("dispatcher-1")
 *     .task("resize")
 *     .payload(order)
 *     .header("tenant", "acme")
 *     .timeout(Duration.ofSeconds(2))
 *     .build());
 * </pre>
 *
 * @param <T> the payload type
 * @param queue the queue the message is addressed to
 * @param id the explicit message id, or {@code null} to let Disker assign one
 * @param task the task name, or {@code null}
 * @param sender the named sender (a queue that receives replies), or {@code null}
 * @param payload the payload, or {@code null}
 * @param headers user headers (never {@code null})
 * @param timeout how long the message stays deliverable (and, for a request or a named
 * sender, how long the reply is awaited), or {@code null}
 * @param delay the delay before delivery (Redis clock), or {@code null}
 * @param deliverAt the delivery time (Redis clock), or {@code null}
 * @author Disker team
 * @since 0.1.0
 */
public record OutgoingMessage<T>(String queue, @Nullable String id, @Nullable String task, @Nullable String sender,
		@Nullable T payload, Map<String, String> headers, @Nullable Duration timeout, @Nullable Duration delay,
		@Nullable Instant deliverAt) {

	/**
	 * The longest explicit message id.
	 */
	public static final int MAX_ID_LENGTH = 256;

	/**
	 * The longest delay or timeout (100 years): longer ones are mistakes, and would
	 * overflow the millisecond arithmetic of the scripts.
	 */
	public static final Duration MAX_DELAY = Duration.ofDays(36500);

	public OutgoingMessage {
		Assert.hasText(queue, "'queue' must not be empty");
		headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
	}

	/**
	 * Return the envelope this message travels in.
	 * @param assignedId the message id (the explicit one, if set)
	 * @param createdAt the creation time (Redis clock)
	 * @param effectiveTimeout the timeout that applies: this message's, or a request's
	 * default; the deadline is the creation time plus it
	 * @param replyTo the reply inbox of a request, or {@code null}
	 * @return the envelope, first attempt
	 */
	public DiskerMessage<T> toMessage(String assignedId, Instant createdAt, @Nullable Duration effectiveTimeout,
			@Nullable String replyTo) {
		return DiskerMessage.<T>envelope(assignedId, this.queue)
			.task(this.task)
			.sender(this.sender)
			.replyTo(replyTo)
			.payload(this.payload)
			.headers(this.headers)
			.createdAt(createdAt)
			.deadline((effectiveTimeout != null) ? createdAt.plus(effectiveTimeout) : null)
			.timeout(effectiveTimeout)
			.build();
	}

	/**
	 * Builder of outgoing messages.
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

		Builder(String queue) {
			Assert.hasText(queue, "'queue' must not be empty");
			this.queue = DiskerNames.validate("queue", queue);
		}

		/**
		 * Set the named sender: replies go to the queue of that name, and timeouts are
		 * reported to its {@code @DiskerTimeoutListener}.
		 * @param sender the sender name
		 * @return this builder
		 */
		public Builder<T> from(String sender) {
			Assert.hasText(sender, "'sender' must not be empty");
			this.sender = DiskerNames.validate("sender", sender);
			return this;
		}

		/**
		 * Set the task name, which selects the listener method of a queue.
		 * @param task the task name
		 * @return this builder
		 */
		public Builder<T> task(String task) {
			Assert.hasText(task, "'task' must not be empty");
			Assert.isTrue(task.length() <= DiskerNames.MAX_LENGTH,
					() -> "'task' must be at most " + DiskerNames.MAX_LENGTH + " characters long");
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
		 * Set the payload to positional task arguments, which a task method receives as
		 * its parameters in order (strictly converted: an argument of the wrong JSON type
		 * or a wrong count dead-letters the message with reason {@code conversion}).
		 * <pre class="code">
		 * DiskerMessage.to("images").task("resize").args("a.png", 640, 480).build();
		 * // received by: void resize(String url, int width, int height)
		 * </pre>
		 * @param args the arguments, each serializable as JSON
		 * @return this builder, typed by the argument list
		 */
		@SuppressWarnings("unchecked")
		public Builder<List<@Nullable Object>> args(@Nullable Object... args) {
			Assert.notNull(args, "'args' must not be null");
			this.payload = Collections.unmodifiableList(Arrays.asList(args.clone()));
			this.headers.put(DiskerHeaders.ARGUMENTS, "positional");
			return (Builder<List<@Nullable Object>>) (Builder<?>) this;
		}

		/**
		 * Add a user header.
		 * @param name the header name
		 * @param value the header value
		 * @return this builder
		 */
		public Builder<T> header(String name, String value) {
			Assert.hasText(name, "'name' must not be empty");
			Assert.isTrue(!name.startsWith(DiskerHeaders.PREFIX), () -> "Header '" + name
					+ "' is reserved: names starting with '" + DiskerHeaders.PREFIX + "' belong to Disker");
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
			Assert.isTrue(id.length() <= MAX_ID_LENGTH,
					() -> "'id' must be at most " + MAX_ID_LENGTH + " characters long");
			this.id = id;
			return this;
		}

		/**
		 * Set how long the message stays deliverable; for a request or a named sender,
		 * also how long the reply is awaited.
		 * @param timeout a positive duration
		 * @return this builder
		 */
		public Builder<T> timeout(Duration timeout) {
			Assert.isTrue(timeout != null && !timeout.isNegative() && !timeout.isZero(),
					"'timeout' must be a positive duration");
			Assert.isTrue(timeout.compareTo(MAX_DELAY) <= 0,
					() -> "'timeout' must not exceed " + MAX_DELAY.toDays() + " days");
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
			Assert.isTrue(delay.compareTo(MAX_DELAY) <= 0,
					() -> "'delay' must not exceed " + MAX_DELAY.toDays() + " days");
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
		public OutgoingMessage<T> build() {
			return new OutgoingMessage<>(this.queue, this.id, this.task, this.sender, (T) this.payload, this.headers,
					this.timeout, this.delay, this.deliverAt);
		}

	}

}
