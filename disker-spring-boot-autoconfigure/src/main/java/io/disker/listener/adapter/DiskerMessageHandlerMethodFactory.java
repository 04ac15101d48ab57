package io.disker.listener.adapter;

import java.util.List;

import io.disker.core.support.MessageCodec;

import org.springframework.format.support.DefaultFormattingConversionService;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;

/**
 * The spring-messaging handler method factory for Disker listener methods: the standard
 * argument resolvers, Disker's payload converter and a resolver for
 * {@code DiskerMessage<T>}.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class DiskerMessageHandlerMethodFactory {

	private DiskerMessageHandlerMethodFactory() {
	}

	/**
	 * Create and initialize a factory.
	 * @param codec the message codec
	 * @return the factory
	 */
	public static DefaultMessageHandlerMethodFactory create(MessageCodec codec) {
		DefaultMessageHandlerMethodFactory factory = new DefaultMessageHandlerMethodFactory();
		factory.setMessageConverter(new DiskerPayloadConverter(codec));
		factory.setConversionService(new DefaultFormattingConversionService());
		factory.setCustomArgumentResolvers(List.of(new DiskerMessageArgumentResolver(codec)));
		factory.afterPropertiesSet();
		return factory;
	}

}
