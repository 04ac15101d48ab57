package io.disker.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A message as it travels through Redis and as a listener receives it: the values its
 * sender chose plus the ones Disker assigned, its {@link #id() id}, {@link #createdAt()
 * creation time}, {@link #deadline() deadline} and {@link #attempt() attempt number}.
 * Times come from the Redis server clock.
 * <p>
 * To send one, build an {@link OutgoingMessage} with {@link #to(String)}:
 * <pre class="code">
 * operations.send(DiskerMessage.to("worker-1")
 *     .from("dispatcher-1")
 *     .task("resize")
 *     .payload(order)
 *     .timeout(Duration.ofSeconds(2))
 *     .build());
 * </pre>
 *
 * @param <T> the payload type
 * @param id the message id
 * @param queue the queue the message is addressed to
 * @param task the task name, or {@code null}
 * @param sender the named sender (a queue that receives replies), or {@code null}
 * @param replyTo the reply inbox of the requesting application instance, or {@code null}
 * @param correlationId the id of the message this one answers, or {@code null}
 * @param payload the payload, or {@code null}
 * @param headers user headers (never {@code null})
 * @param createdAt when the message was sent, or {@code null} if its producer did not say
 * @param deadline when the message stops being deliverable, or {@code null} for never
 * @param attempt the delivery attempt, starting at 1
 * @param timeout the timeout the sender chose, or {@code null}
 * @author Disker team
 * @since 0.1.0
 */
public record DiskerMessage<T>(String id, String queue, @Nullable String task, @Nullable String sender,
		@Nullable String replyTo, @Nullable String correlationId, @Nullable T payload, Map<String, String> headers,
		@Nullable Instant createdAt, @Nullable Instant deadline, int attempt, @Nullable Duration timeout) {

	/**
	 * The headers of every message that has none: most messages, and copying an empty map
	 * per message is measurable on a busy consumer.
	 */
	private static final Map<String, String> NO_HEADERS = Collections.unmodifiableMap(new LinkedHashMap<>());

	public DiskerMessage {
		Assert.hasLength(id, "'id' must not be empty");
		Assert.hasText(queue, "'queue' must not be empty");
		Assert.isTrue(attempt >= 1, "'attempt' must be at least 1");
		headers = headers.isEmpty() ? NO_HEADERS : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
	}

	/**
	 * Start building a message to send to the given queue.
	 * @param queue the queue (receiver) name
	 * @return a builder
	 */
	public static OutgoingMessage.Builder<Object> to(String queue) {
		return new OutgoingMessage.Builder<>(queue);
	}

	/**
	 * Start building an envelope with every field named, as Disker's codec does when it
	 * reads one; applications send with {@link #to(String)}.
	 * @param <T> the payload type
	 * @param id the message id
	 * @param queue the queue
	 * @return a builder for the other fields (first attempt, no headers by default)
	 */
	public static <T> Envelope<T> envelope(String id, String queue) {
		return new Envelope<>(id, queue);
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
				newPayload, this.headers, this.createdAt, this.deadline, this.attempt, this.timeout);
	}

	/**
	 * Return a copy with other headers, keeping every other value.
	 * @param newHeaders the headers
	 * @return the copy
	 */
	public DiskerMessage<T> withHeaders(Map<String, String> newHeaders) {
		return new DiskerMessage<>(this.id, this.queue, this.task, this.sender, this.replyTo, this.correlationId,
				this.payload, newHeaders, this.createdAt, this.deadline, this.attempt, this.timeout);
	}

	/**
	 * Return this message as its next delivery attempt (a retry after a failure).
	 * @return the copy, attempt plus one
	 */
	public DiskerMessage<T> nextAttempt() {
		return new DiskerMessage<>(this.id, this.queue, this.task, this.sender, this.replyTo, this.correlationId,
				this.payload, this.headers, this.createdAt, this.deadline, this.attempt + 1, this.timeout);
	}

	/**
	 * Return this message as a replay from the dead-letter list: a first attempt without
	 * a deadline, so it runs again right away.
	 * @return the copy
	 */
	public DiskerMessage<T> forReplay() {
		return new DiskerMessage<>(this.id, this.queue, this.task, this.sender, this.replyTo, this.correlationId,
				this.payload, this.headers, this.createdAt, null, 1, this.timeout);
	}

	/**
	 * Start the envelope of a reply to this message: correlated to its id, for its task.
	 * @param <R> the reply payload type
	 * @param replyId the reply's own id
	 * @param replyQueue where the reply goes: the requester's inbox or the sender's queue
	 * @return a builder for the other fields
	 */
	public <R> Envelope<R> reply(String replyId, String replyQueue) {
		return DiskerMessage.<R>envelope(replyId, replyQueue).task(this.task).correlationId(this.id);
	}

	/**
	 * Builder of an envelope with every field named.
	 *
	 * @param <T> the payload type
	 */
	public static final class Envelope<T> {

		private final String id;

		private final String queue;

		private @Nullable String task;

		private @Nullable String sender;

		private @Nullable String replyTo;

		private @Nullable String correlationId;

		private @Nullable T payload;

		private Map<String, String> headers = Map.of();

		private @Nullable Instant createdAt;

		private @Nullable Instant deadline;

		private int attempt = 1;

		private @Nullable Duration timeout;

		private Envelope(String id, String queue) {
			this.id = id;
			this.queue = queue;
		}

		/**
		 * Set the task name.
		 * @param task the task, or {@code null}
		 * @return this builder
		 */
		public Envelope<T> task(@Nullable String task) {
			this.task = task;
			return this;
		}

		/**
		 * Set the named sender.
		 * @param sender the sender, or {@code null}
		 * @return this builder
		 */
		public Envelope<T> sender(@Nullable String sender) {
			this.sender = sender;
			return this;
		}

		/**
		 * Set the reply inbox of a request.
		 * @param replyTo the inbox, or {@code null}
		 * @return this builder
		 */
		public Envelope<T> replyTo(@Nullable String replyTo) {
			this.replyTo = replyTo;
			return this;
		}

		/**
		 * Set the id of the message this one answers.
		 * @param correlationId the id, or {@code null}
		 * @return this builder
		 */
		public Envelope<T> correlationId(@Nullable String correlationId) {
			this.correlationId = correlationId;
			return this;
		}

		/**
		 * Set the payload.
		 * @param payload the payload, or {@code null}
		 * @return this builder
		 */
		public Envelope<T> payload(@Nullable T payload) {
			this.payload = payload;
			return this;
		}

		/**
		 * Set the user headers.
		 * @param headers the headers
		 * @return this builder
		 */
		public Envelope<T> headers(Map<String, String> headers) {
			this.headers = headers;
			return this;
		}

		/**
		 * Set the creation time.
		 * @param createdAt the time (Redis clock), or {@code null}
		 * @return this builder
		 */
		public Envelope<T> createdAt(@Nullable Instant createdAt) {
			this.createdAt = createdAt;
			return this;
		}

		/**
		 * Set the deadline.
		 * @param deadline the deadline (Redis clock), or {@code null} for never
		 * @return this builder
		 */
		public Envelope<T> deadline(@Nullable Instant deadline) {
			this.deadline = deadline;
			return this;
		}

		/**
		 * Set the delivery attempt.
		 * @param attempt the attempt, starting at 1
		 * @return this builder
		 */
		public Envelope<T> attempt(int attempt) {
			this.attempt = attempt;
			return this;
		}

		/**
		 * Set the timeout the sender chose.
		 * @param timeout the timeout, or {@code null}
		 * @return this builder
		 */
		public Envelope<T> timeout(@Nullable Duration timeout) {
			this.timeout = timeout;
			return this;
		}

		/**
		 * Build the message.
		 * @return the message
		 */
		public DiskerMessage<T> build() {
			return new DiskerMessage<>(this.id, this.queue, this.task, this.sender, this.replyTo, this.correlationId,
					this.payload, this.headers, this.createdAt, this.deadline, this.attempt, this.timeout);
		}

	}

}
