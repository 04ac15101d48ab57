package io.disker.listener.adapter;

import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import io.disker.core.DiskerHeaders;
import io.disker.core.DiskerMessage;
import io.disker.listener.DiskerMessageListener;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.support.GenericMessage;

/**
 * Invokes a listener method through spring-messaging: the Disker message becomes a
 * {@link Message} whose headers carry the envelope fields ({@link DiskerHeaders}) and the
 * user headers, and the method's arguments are resolved from it ({@code @Payload},
 * {@code @Header}, {@code DiskerMessage<T>}, {@code Message<T>}). A returned
 * {@link CompletionStage} is waited for; its value, like any other return value, is the
 * reply.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class MessagingDiskerListenerAdapter implements DiskerMessageListener {

	private final InvocableHandlerMethod handlerMethod;

	public MessagingDiskerListenerAdapter(InvocableHandlerMethod handlerMethod) {
		this.handlerMethod = handlerMethod;
	}

	/**
	 * Return the invoked method.
	 * @return the handler method
	 */
	public InvocableHandlerMethod getHandlerMethod() {
		return this.handlerMethod;
	}

	@Override
	public @Nullable Object onMessage(DiskerMessage<JsonNode> message) throws Exception {
		Object result = this.handlerMethod.invoke(toMessage(message));
		if (result instanceof CompletionStage<?> stage) {
			try {
				return stage.toCompletableFuture().join();
			}
			catch (CompletionException ex) {
				throw (ex.getCause() instanceof Exception cause) ? cause : ex;
			}
		}
		return result;
	}

	static Message<JsonNode> toMessage(DiskerMessage<JsonNode> message) {
		ListenerMessageHeaders headers = new ListenerMessageHeaders(message.headers(), (map) -> {
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
		JsonNode payload = (message.payload() != null) ? message.payload() : NullNode.getInstance();
		return new GenericMessage<>(payload, headers);
	}

	private static void put(Map<String, Object> headers, String name, @Nullable Object value) {
		if (value != null) {
			headers.put(name, value);
		}
	}

}
