package io.disker.listener.adapter;

import io.disker.core.DiskerMessage;
import io.disker.core.support.MessageCodec;
import io.disker.listener.DiskerMessageHandler;
import io.disker.listener.DiskerMessageListener;
import io.disker.listener.PayloadConversionException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Adapts a {@link DiskerMessageHandler} to a {@link DiskerMessageListener}, converting
 * the payload to the registered type.
 *
 * @param <T> the payload type
 * @author Disker team
 * @since 0.1.0
 */
public final class HandlerListenerAdapter<T> implements DiskerMessageListener {

	private final DiskerMessageHandler<T> handler;

	private final Class<T> payloadType;

	private final MessageCodec codec;

	public HandlerListenerAdapter(DiskerMessageHandler<T> handler, Class<T> payloadType, MessageCodec codec) {
		this.handler = handler;
		this.payloadType = payloadType;
		this.codec = codec;
	}

	@Override
	public @Nullable Object onMessage(DiskerMessage<JsonNode> message) throws Exception {
		T payload;
		try {
			payload = this.codec.convert(message.payload(), this.payloadType);
		}
		catch (IllegalArgumentException ex) {
			throw new PayloadConversionException(ex.getMessage(), ex);
		}
		return this.handler.handle(message.withPayload(payload));
	}

}
