package io.disker.core.support;

import io.disker.core.DiskerMessage;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A decoded envelope: the message with its payload still a JSON tree, and the remote
 * failure a reply may carry.
 *
 * @param message the message
 * @param error the failure reported by the remote listener, or {@code null}
 * @author Disker team
 * @since 0.1.0
 */
public record InboundMessage(DiskerMessage<JsonNode> message, @Nullable RemoteError error) {

}
