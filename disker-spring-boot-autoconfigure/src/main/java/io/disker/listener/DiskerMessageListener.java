package io.disker.listener;

import io.disker.core.DiskerMessage;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Handles the messages of one queue; the lowest-level listener contract, which
 * {@code @DiskerListener} methods and registered handlers are adapted to.
 *
 * @author Disker team
 * @since 0.1.0
 */
@FunctionalInterface
public interface DiskerMessageListener {

	/**
	 * Handle a message. A normal return acknowledges it; an exception fails it (the
	 * failure policy decides between a retry and the dead-letter list).
	 * @param message the message, its payload a JSON tree
	 * @return the reply payload, or {@code null} for no reply
	 * @throws Exception if handling failed
	 */
	@Nullable Object onMessage(DiskerMessage<JsonNode> message) throws Exception;

}
