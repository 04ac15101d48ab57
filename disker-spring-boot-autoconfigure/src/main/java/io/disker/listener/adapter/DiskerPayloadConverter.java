package io.disker.listener.adapter;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.disker.core.support.MessageCodec;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;

import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.SmartMessageConverter;

/**
 * Converts a received JSON payload to the type a listener method parameter declares,
 * generics included ({@code List<Order>}), with the application's mapper. The target type
 * always comes from the method signature, never from the message.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class DiskerPayloadConverter implements SmartMessageConverter {

	private final MessageCodec codec;

	/**
	 * The target type of each parameter: resolving generics per message costs more than
	 * the message.
	 */
	private final Map<MethodParameter, JavaType> parameterTypes = new ConcurrentHashMap<>();

	public DiskerPayloadConverter(MessageCodec codec) {
		this.codec = codec;
	}

	@Override
	public @Nullable Object fromMessage(Message<?> message, Class<?> targetClass) {
		return fromMessage(message, targetClass, null);
	}

	@Override
	public @Nullable Object fromMessage(Message<?> message, Class<?> targetClass, @Nullable Object conversionHint) {
		if (!(message.getPayload() instanceof JsonNode payload)) {
			return null;
		}
		JavaType type = (conversionHint instanceof MethodParameter parameter) ? parameterTypeOf(parameter)
				: this.codec.getMapper().constructType(targetClass);
		try {
			return this.codec.convert(payload, type);
		}
		catch (IllegalArgumentException ex) {
			throw new MessageConversionException(message, ex.getMessage(), ex);
		}
	}

	private JavaType parameterTypeOf(MethodParameter parameter) {
		// get first: computeIfAbsent would allocate the method reference for every
		// message
		JavaType type = this.parameterTypes.get(parameter);
		return (type != null) ? type : this.parameterTypes.computeIfAbsent(parameter, this::parameterType);
	}

	private JavaType parameterType(MethodParameter parameter) {
		ResolvableType declared = ResolvableType.forMethodParameter(parameter.nestedIfOptional());
		if (Message.class.isAssignableFrom(declared.toClass())) {
			// a Message<T> parameter: its payload converts to T
			ResolvableType payload = declared.as(Message.class).getGeneric(0);
			return this.codec.getMapper().constructType((payload.resolve() != null) ? payload.getType() : Object.class);
		}
		return this.codec.getMapper().constructType(declared.getType());
	}

	@Override
	public @Nullable Message<?> toMessage(Object payload, @Nullable MessageHeaders headers) {
		return null;
	}

	@Override
	public @Nullable Message<?> toMessage(Object payload, @Nullable MessageHeaders headers,
			@Nullable Object conversionHint) {
		return null;
	}

}
