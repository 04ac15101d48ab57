package io.disker.listener;

import io.disker.core.DiskerMessage;
import org.jspecify.annotations.Nullable;

/**
 * A handler registered programmatically with
 * {@link io.disker.config.DiskerListenerRegistry#register(String, DiskerMessageHandler, io.disker.config.DiskerListenerOptions)}.
 *
 * @param <T> the payload type
 * @author Disker team
 * @since 0.1.0
 */
@FunctionalInterface
public interface DiskerMessageHandler<T> {

	/**
	 * Handle a message.
	 * @param message the message, its payload converted to the registered type
	 * @return the reply payload, or {@code null} for no reply
	 * @throws Exception if handling failed
	 */
	@Nullable Object handle(DiskerMessage<T> message) throws Exception;

}
