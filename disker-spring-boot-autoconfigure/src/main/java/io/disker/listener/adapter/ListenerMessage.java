package io.disker.listener.adapter;

import java.util.Map;

import io.disker.core.DiskerHeaders;
import io.disker.core.DiskerMessage;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.util.ObjectUtils;

/**
 * The {@link Message} a listener method is invoked with: the payload as a JSON tree and
 * {@link ListenerMessageHeaders} holding the envelope fields and the user headers.
 * <p>
 * The headers are built when first asked for: a listener that only takes its payload (or
 * a {@code DiskerMessage<T>}, resolved from {@link #diskerMessage()}) never needs them,
 * and copying a dozen entries into a map per delivery is measurable on a busy consumer.
 * Otherwise it behaves as a {@code GenericMessage} with the same payload and headers.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class ListenerMessage implements Message<JsonNode> {

	private final DiskerMessage<JsonNode> message;

	private final JsonNode payload;

	private volatile @Nullable MessageHeaders headers;

	ListenerMessage(DiskerMessage<JsonNode> message) {
		this.message = message;
		this.payload = (message.payload() != null) ? message.payload() : NullNode.getInstance();
	}

	/**
	 * Return the received message, as the {@link DiskerHeaders#MESSAGE} header holds it.
	 * @return the message
	 */
	DiskerMessage<JsonNode> diskerMessage() {
		return this.message;
	}

	@Override
	public JsonNode getPayload() {
		return this.payload;
	}

	@Override
	public MessageHeaders getHeaders() {
		MessageHeaders headers = this.headers;
		if (headers == null) {
			headers = headersOf(this.message);
			this.headers = headers;
		}
		return headers;
	}

	/**
	 * Whether the headers have been built; for tests.
	 * @return whether {@link #getHeaders()} was called
	 */
	boolean hasHeaders() {
		return this.headers != null;
	}

	static MessageHeaders headersOf(DiskerMessage<JsonNode> message) {
		return new ListenerMessageHeaders(message.headers(), (map) -> {
			put(map, DiskerHeaders.ID, message.id());
			put(map, DiskerHeaders.QUEUE, message.queue());
			put(map, DiskerHeaders.TASK, message.task());
			put(map, DiskerHeaders.SENDER, message.sender());
			put(map, DiskerHeaders.REPLY_TO, message.replyTo());
			put(map, DiskerHeaders.CORRELATION_ID, message.correlationId());
			put(map, DiskerHeaders.CREATED_AT, message.createdAt());
			put(map, DiskerHeaders.DEADLINE, message.deadline());
			map.put(DiskerHeaders.ATTEMPT, message.attempt());
			map.put(DiskerHeaders.MESSAGE, message);
		});
	}

	private static void put(Map<String, Object> headers, String name, @Nullable Object value) {
		if (value != null) {
			headers.put(name, value);
		}
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (this == other) || (other instanceof ListenerMessage that && this.payload.equals(that.payload)
				&& getHeaders().equals(that.getHeaders()));
	}

	@Override
	public int hashCode() {
		// as GenericMessage's
		return ObjectUtils.nullSafeHash(this.payload, getHeaders());
	}

	@Override
	public String toString() {
		return "ListenerMessage [payload=" + this.payload + ", headers=" + getHeaders() + "]";
	}

}
