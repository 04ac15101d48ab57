package io.disker.requestreply;

import java.util.concurrent.CompletableFuture;

/**
 * A request in flight, with the two moments a requester may care about (reqrep's
 * {@code onPushed} and {@code onReply}): {@link #enqueued()} completes when Redis holds
 * the request (no extra round trip: it is the answer to the write itself), and
 * {@link #reply()} when the reply arrives, like
 * {@link RequestTemplate#request(io.disker.core.OutgoingMessage, Class)}.
 *
 * @param <R> the reply type
 * @param id the request's message id (its correlation id)
 * @param enqueued completes with the id once Redis holds the request; fails if it could
 * not be written (then {@code reply} fails too)
 * @param reply completes with the reply, or fails with
 * {@link io.disker.core.DiskerTimeoutException} or
 * {@link io.disker.core.RemoteInvocationException}
 * @author Disker team
 * @since 0.1.0
 */
public record RequestHandle<R>(String id, CompletableFuture<String> enqueued, CompletableFuture<R> reply) {

}
