package io.disker.listener.adapter;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import io.disker.core.DiskerMessage;
import io.disker.listener.DiskerMessageListener;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

/**
 * Invokes a listener method through spring-messaging: the Disker message becomes a
 * {@link Message} whose headers carry the envelope fields
 * ({@link io.disker.core.DiskerHeaders}) and the user headers, built only if a parameter
 * needs them, and the method's arguments are resolved from it ({@code @Payload},
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
		return new ListenerMessage(message);
	}

}
