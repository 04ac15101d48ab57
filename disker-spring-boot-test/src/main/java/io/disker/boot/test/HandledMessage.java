package io.disker.boot.test;

import java.time.Instant;

import io.disker.core.DiskerMessage;
import io.disker.core.support.MessageCodec;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One run of a listener on a message, as {@link DiskerTestHarness} recorded it: the
 * message, and the exception if the listener threw.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class HandledMessage {

	private final String listenerId;

	private final DiskerMessage<JsonNode> message;

	private final @Nullable Throwable failure;

	private final Instant handledAt;

	private final MessageCodec codec;

	HandledMessage(String listenerId, DiskerMessage<JsonNode> message, @Nullable Throwable failure,
			MessageCodec codec) {
		this.listenerId = listenerId;
		this.message = message;
		this.failure = failure;
		this.handledAt = Instant.now();
		this.codec = codec;
	}

	/**
	 * Return the id of the listener (container) that ran.
	 * @return the listener id
	 */
	public String listenerId() {
		return this.listenerId;
	}

	/**
	 * Return the queue the message came from.
	 * @return the queue
	 */
	public String queue() {
		return this.message.queue();
	}

	/**
	 * Return the message id.
	 * @return the id
	 */
	public String id() {
		return this.message.id();
	}

	/**
	 * Return the message as the listener received it, its payload a JSON tree.
	 * @return the message
	 */
	public DiskerMessage<JsonNode> message() {
		return this.message;
	}

	/**
	 * Return the payload converted to a type, as a listener method parameter would be.
	 * @param <T> the type
	 * @param type the type
	 * @return the payload, or {@code null} if the message had none
	 */
	public <T> @Nullable T payload(Class<T> type) {
		return this.codec.convert(this.message.payload(), type);
	}

	/**
	 * Return whether the listener returned normally (the message is then acknowledged).
	 * @return whether it succeeded
	 */
	public boolean succeeded() {
		return this.failure == null;
	}

	/**
	 * Return what the listener threw, or {@code null} if it returned normally.
	 * @return the failure
	 */
	public @Nullable Throwable failure() {
		return this.failure;
	}

	/**
	 * Return when the listener finished (this JVM's clock).
	 * @return the time
	 */
	public Instant handledAt() {
		return this.handledAt;
	}

	@Override
	public String toString() {
		return "HandledMessage[queue=" + queue() + ", id=" + id() + ", listener=" + this.listenerId
				+ ((this.failure != null) ? ", failed: " + this.failure : "") + "]";
	}

}
