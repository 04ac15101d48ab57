package io.disker.core.support;

import java.util.concurrent.CompletableFuture;

import io.disker.core.DiskerMessage;
import org.jspecify.annotations.Nullable;

/**
 * Sends listener results back to whoever is waiting for them.
 *
 * @author Disker team
 * @since 0.1.0
 */
public interface ReplyChannel {

	/**
	 * Return whether a message has somewhere to reply to (a requester's inbox or a named
	 * sender).
	 * @param received the received message
	 * @return whether a reply can be sent
	 */
	boolean hasReplyAddress(DiskerMessage<?> received);

	/**
	 * Return whether a requester is waiting for the outcome (a failure is reported too).
	 * @param received the received message
	 * @return whether the message came from {@code request(...)}
	 */
	boolean isAwaited(DiskerMessage<?> received);

	/**
	 * Send a reply.
	 * @param received the received message
	 * @param response the reply payload
	 * @return a future that completes once Redis holds the reply
	 */
	CompletableFuture<Void> reply(DiskerMessage<?> received, @Nullable Object response);

	/**
	 * Report a failure to the requester waiting for the message.
	 * @param received the received message
	 * @param error the failure
	 * @return a future that completes once Redis holds the reply
	 */
	CompletableFuture<Void> replyError(DiskerMessage<?> received, RemoteError error);

}
