package io.disker.listener.adapter;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.disker.core.DiskerHeaders;
import io.disker.core.DiskerMessage;
import io.disker.core.support.MessageCodec;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;

import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

/**
 * Resolves a {@code DiskerMessage<T>} listener parameter, converting the payload to
 * {@code T}.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class DiskerMessageArgumentResolver implements HandlerMethodArgumentResolver {

	private final MessageCodec codec;

	/**
	 * The payload type of each parameter: resolving generics per message costs more than
	 * the message.
	 */
	private final Map<MethodParameter, JavaType> payloadTypes = new ConcurrentHashMap<>();

	public DiskerMessageArgumentResolver(MessageCodec codec) {
		this.codec = codec;
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.getParameterType() == DiskerMessage.class;
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, Message<?> message) {
		DiskerMessage<JsonNode> received = received(message);
		if (received == null) {
			throw new MessageConversionException(message, "No DiskerMessage in the message headers");
		}
		// get first: computeIfAbsent would allocate the method reference for every
		// message
		JavaType type = this.payloadTypes.get(parameter);
		if (type == null) {
			type = this.payloadTypes.computeIfAbsent(parameter, this::payloadType);
		}
		if (type.getRawClass() == JsonNode.class) {
			return received;
		}
		try {
			return received.withPayload(this.codec.convert(received.payload(), type));
		}
		catch (IllegalArgumentException ex) {
			throw new MessageConversionException(message, ex.getMessage(), ex);
		}
	}

	@SuppressWarnings("unchecked")
	private static @Nullable DiskerMessage<JsonNode> received(Message<?> message) {
		// a queue listener's message has it at hand, without building the headers
		return (message instanceof ListenerMessage listenerMessage) ? listenerMessage.diskerMessage()
				: (DiskerMessage<JsonNode>) message.getHeaders().get(DiskerHeaders.MESSAGE);
	}

	private JavaType payloadType(MethodParameter parameter) {
		return this.codec.getMapper()
			.constructType(ResolvableType.forMethodParameter(parameter).getGeneric(0).getType());
	}

}
