package io.disker.listener.adapter;

import java.util.ArrayList;
import java.util.List;

import io.disker.core.support.MessageCodec;

import org.springframework.format.support.DefaultFormattingConversionService;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

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
		return create(codec, List.of());
	}

	/**
	 * Create and initialize a factory with more argument resolvers, consulted before
	 * Disker's own and the standard ones.
	 * @param codec the message codec
	 * @param resolvers the additional resolvers (e.g. for timer events)
	 * @return the factory
	 */
	public static DefaultMessageHandlerMethodFactory create(MessageCodec codec,
			List<HandlerMethodArgumentResolver> resolvers) {
		DefaultMessageHandlerMethodFactory factory = new DefaultMessageHandlerMethodFactory();
		factory.setMessageConverter(new DiskerPayloadConverter(codec));
		factory.setConversionService(new DefaultFormattingConversionService());
		List<HandlerMethodArgumentResolver> custom = new ArrayList<>(resolvers);
		custom.add(new DiskerMessageArgumentResolver(codec));
		factory.setCustomArgumentResolvers(custom);
		factory.afterPropertiesSet();
		return factory;
	}

}
