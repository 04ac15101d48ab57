package io.disker.timer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.disker.core.support.MessageCodec;
import tools.jackson.databind.JavaType;

import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

/**
 * Resolves a {@code TimerEvent<T>} listener parameter, converting the event to {@code T}
 * (generics included) with the application's mapper.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class TimerEventArgumentResolver implements HandlerMethodArgumentResolver {

	static final String DELIVERY_HEADER = "disker_timerDelivery";

	private final MessageCodec codec;

	/**
	 * The event type of each parameter: resolving generics per event costs more than the
	 * event.
	 */
	private final Map<MethodParameter, JavaType> eventTypes = new ConcurrentHashMap<>();

	/**
	 * Create a resolver.
	 * @param codec the message codec, whose mapper converts the events
	 */
	public TimerEventArgumentResolver(MessageCodec codec) {
		this.codec = codec;
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.getParameterType() == TimerEvent.class;
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, Message<?> message) {
		TimerDelivery delivery = message.getHeaders().get(DELIVERY_HEADER, TimerDelivery.class);
		if (delivery == null) {
			throw new MessageConversionException(message, "No timer delivery in the message headers");
		}
		JavaType type = this.eventTypes.computeIfAbsent(parameter, this::eventType);
		try {
			return delivery.toEvent(this.codec.convert(delivery.event(), type));
		}
		catch (IllegalArgumentException ex) {
			throw new MessageConversionException(message, ex.getMessage(), ex);
		}
	}

	private JavaType eventType(MethodParameter parameter) {
		ResolvableType eventType = ResolvableType.forMethodParameter(parameter).getGeneric(0);
		return this.codec.getMapper().constructType((eventType.resolve() != null) ? eventType.getType() : Object.class);
	}

}
