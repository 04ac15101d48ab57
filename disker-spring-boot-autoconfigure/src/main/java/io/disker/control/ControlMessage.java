package io.disker.control;

import io.disker.core.support.MessageCodec;
import tools.jackson.databind.JsonNode;

/**
 * A message received on a control channel.
 *
 * @param sender the name of the party that published it
 * @param receiver the channel it was published to
 * @param content its content, as JSON
 * @param codec converts the content
 * @author Disker team
 * @since 0.1.0
 */
public record ControlMessage(String sender, String receiver, JsonNode content, MessageCodec codec) {

	/**
	 * Return the content converted to a type (strictly, like payloads).
	 * @param <T> the type
	 * @param type the type
	 * @return the content
	 * @throws IllegalArgumentException if it does not convert
	 */
	public <T> T content(Class<T> type) {
		return this.codec.convert(this.content, type);
	}

}
