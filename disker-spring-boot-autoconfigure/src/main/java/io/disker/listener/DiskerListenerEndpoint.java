package io.disker.listener;

import io.disker.core.support.MessageCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;

/**
 * Describes one listener: the queue, its settings, and how to create its
 * {@link DiskerMessageListener}. A container factory turns an endpoint into a container.
 *
 * @author Disker team
 * @since 0.1.0
 */
public interface DiskerListenerEndpoint {

	/**
	 * Return the id of the container to create, unique in the application.
	 * @return the id
	 */
	String getId();

	/**
	 * Return the queue to consume.
	 * @return the queue name
	 */
	String getQueue();

	/**
	 * Return the concurrency, or {@code null} for the factory default.
	 * @return the concurrency
	 */
	@Nullable Integer getConcurrency();

	/**
	 * Return the prefetch, or {@code null} for the factory default.
	 * @return the prefetch
	 */
	@Nullable Integer getPrefetch();

	/**
	 * Return whether to start with the context, or {@code null} for the factory default.
	 * @return the auto-startup flag
	 */
	@Nullable Boolean getAutoStartup();

	/**
	 * Return whether the container stops after its first message.
	 * @return whether it is one-time
	 */
	default boolean isOneTime() {
		return false;
	}

	/**
	 * Create the listener.
	 * @param methodFactory the factory for invocable listener methods
	 * @param codec the message codec
	 * @return the listener
	 */
	DiskerMessageListener createMessageListener(MessageHandlerMethodFactory methodFactory, MessageCodec codec);

}
