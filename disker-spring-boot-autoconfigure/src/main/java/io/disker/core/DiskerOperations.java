package io.disker.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Sending side of Disker: fire-and-forget sends, requests that wait for a reply, and
 * replies.
 * <p>
 * Every method returns at once; the future completes when Redis holds the message (for
 * {@code send} and {@code reply}) or when the reply arrives (for {@code request}). A
 * future never completes with a missing reply: it fails with
 * {@link DiskerTimeoutException}, with {@link RemoteInvocationException} when the remote
 * listener threw, or with another {@link DiskerException}. <pre class="code">
 * operations.send("emails", new Email("bob@example.com"));
 * Quote quote = operations.request("pricing", new QuoteRequest("ACME"), Quote.class).join();
 * </pre>
 *
 * @author Disker team
 * @since 0.1.0
 * @see io.disker.requestreply.RequestTemplate
 */
public interface DiskerOperations {

	/**
	 * Send a payload to a queue.
	 * @param queue the queue name
	 * @param payload the payload, serializable as JSON
	 * @return a future that completes with the message id once Redis holds the message
	 * @throws InvalidNameException if the queue name is invalid
	 * @throws MessageTooLargeException if the encoded message is over the size limit
	 */
	CompletableFuture<String> send(String queue, Object payload);

	/**
	 * Send a message built with {@link DiskerMessage#to(String)}.
	 * @param message the message
	 * @return a future that completes with the message id once Redis holds the message
	 * @throws InvalidNameException if the queue or sender name is invalid
	 * @throws MessageTooLargeException if the encoded message is over the size limit
	 */
	CompletableFuture<String> send(OutgoingMessage<?> message);

	/**
	 * Send a request and wait for the reply with the default timeout
	 * ({@code disker.request.timeout}). A caller waiting in {@code get()} or
	 * {@code join()} wakes as soon as the reply is read; stages attached to the future
	 * with the non-async methods ({@code thenApply}, {@code whenComplete} and the like)
	 * run on Disker's reply threads, so that a slow callback holds up no other reply. The
	 * same holds for the other {@code request} methods.
	 * @param <R> the reply type
	 * @param queue the queue name
	 * @param payload the payload
	 * @param replyType the type the reply payload is converted to
	 * @return a future for the reply
	 */
	<R> CompletableFuture<R> request(String queue, Object payload, Class<R> replyType);

	/**
	 * Send a request and wait for the reply.
	 * @param <R> the reply type
	 * @param queue the queue name
	 * @param payload the payload
	 * @param replyType the type the reply payload is converted to
	 * @param timeout how long to wait for the reply; the request is not delivered after
	 * it
	 * @return a future for the reply
	 */
	<R> CompletableFuture<R> request(String queue, Object payload, Class<R> replyType, Duration timeout);

	/**
	 * Send a request message built with {@link DiskerMessage#to(String)} and wait for the
	 * reply. The message's timeout, or the default one, applies.
	 * @param <R> the reply type
	 * @param message the request message
	 * @param replyType the type the reply payload is converted to
	 * @return a future for the reply
	 */
	<R> CompletableFuture<R> request(OutgoingMessage<?> message, Class<R> replyType);

	/**
	 * Reply to a received message: to the requester's inbox for a {@code request}, or to
	 * the sender's queue for a message sent {@code from} a named sender.
	 * @param received the message to answer
	 * @param response the reply payload
	 * @return a future that completes once Redis holds the reply
	 * @throws IllegalArgumentException if the message has no reply address
	 */
	CompletableFuture<Void> reply(DiskerMessage<?> received, Object response);

}
