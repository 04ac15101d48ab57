package io.disker.listener;

import io.disker.core.DiskerMessage;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Listener-level error handler, named by
 * {@code @DiskerListener(errorHandler = "beanName")}. It sees every exception of its
 * listener first and decides:
 * <ul>
 * <li>return a value: the message counts as handled and the value is the reply (e.g. an
 * error payload for the requester);</li>
 * <li>return {@code null}: the message counts as handled, without a reply;</li>
 * <li>throw: the message failed with the thrown exception; the retry policy applies.</li>
 * </ul>
 *
 * @author Disker team
 * @since 0.1.0
 */
@FunctionalInterface
public interface DiskerListenerErrorHandler {

	/**
	 * Handle a listener failure.
	 * @param message the message, its payload still JSON
	 * @param exception what the listener threw
	 * @return the reply payload, or {@code null} for none
	 * @throws Exception to fail the message
	 */
	@Nullable Object handleError(DiskerMessage<JsonNode> message, Throwable exception) throws Exception;

}
