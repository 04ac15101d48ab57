package io.disker.core;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import io.disker.core.support.MessageCodec;
import io.disker.core.support.MessageIds;
import io.disker.core.support.RemoteError;
import io.disker.core.support.ReplyChannel;
import io.disker.queue.QueueContext;
import io.disker.redis.DiskerScript;
import io.disker.redis.QueueKeys;
import io.lettuce.core.ScriptOutputType;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * The default {@link DiskerOperations}: sends messages, sends requests and matches their
 * replies, and sends replies.
 * <p>
 * Requests are answered through one reply inbox per application instance, read by a single
 * connection and started on the first request. Replies are matched to requests by
 * correlation id; a reply that arrives after its request timed out is counted and dropped.
 * Futures returned by {@code request} complete on Disker's reply executor.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class RequestTemplate implements DiskerOperations, ReplyChannel, SmartLifecycle {

	/**
	 * The lifecycle phase: before listener containers start, after they stop.
	 */
	public static final int PHASE = Integer.MAX_VALUE - 200;

	private final QueueContext queues;

	private final MessageCodec codec;

	private final Duration defaultTimeout;

	private final ReplyInbox inbox;

	private volatile boolean running;

	/**
	 * Create a template.
	 * @param queues the queue runtime
	 * @param codec the message codec
	 * @param defaultTimeout the request timeout when none is given
	 * @param replyExecutor runs the completion of request futures
	 * @param receiveTimeout the blocking wait of the reply inbox reader
	 */
	public RequestTemplate(QueueContext queues, MessageCodec codec, Duration defaultTimeout, Executor replyExecutor,
			Duration receiveTimeout) {
		Assert.isTrue(defaultTimeout.toMillis() > 0, "'defaultTimeout' must be positive");
		this.queues = queues;
		this.codec = codec;
		this.defaultTimeout = defaultTimeout;
		this.inbox = new ReplyInbox(queues, codec, replyExecutor, receiveTimeout);
	}

	/**
	 * Return the default request timeout.
	 * @return the timeout
	 */
	public Duration getDefaultTimeout() {
		return this.defaultTimeout;
	}

	/**
	 * Return how many requests wait for a reply.
	 * @return the count
	 */
	public int getPendingRequestCount() {
		return this.inbox.getPendingCount();
	}

	/**
	 * Return whether the reply inbox reader runs (it starts with the first request).
	 * @return whether it runs
	 */
	public boolean isReplyInboxRunning() {
		return this.inbox.isRunning();
	}

	/**
	 * Return when the reply inbox reader last finished a read or a blocking wait (local
	 * monotonic milliseconds), or 0 if it never ran.
	 * @return the time
	 */
	public long getReplyInboxLastActivity() {
		return this.inbox.getLastActivity();
	}

	@Override
	public CompletableFuture<String> send(String queue, Object payload) {
		return send(DiskerMessage.to(queue).payload(payload).build());
	}

	@Override
	public CompletableFuture<String> send(DiskerMessage<?> message) {
		DiskerMessage<?> outgoing = stamp(message, null);
		return push(outgoing, this.codec.encode(outgoing));
	}

	@Override
	public <R> CompletableFuture<R> request(String queue, Object payload, Class<R> replyType) {
		return request(DiskerMessage.to(queue).payload(payload).build(), replyType);
	}

	@Override
	public <R> CompletableFuture<R> request(String queue, Object payload, Class<R> replyType, Duration timeout) {
		return request(DiskerMessage.to(queue).payload(payload).timeout(timeout).build(), replyType);
	}

	@Override
	public <R> CompletableFuture<R> request(DiskerMessage<?> message, Class<R> replyType) {
		Assert.notNull(replyType, "'replyType' must not be null");
		DiskerMessage<?> outgoing = stamp(message, this.inbox.id());
		byte[] raw = this.codec.encode(outgoing);
		this.inbox.start();
		Duration timeout = (outgoing.timeout() != null) ? outgoing.timeout() : this.defaultTimeout;
		CompletableFuture<R> reply = this.inbox.register(outgoing.id(), outgoing.queue(),
				this.codec.getMapper().constructType(replyType), timeout);
		push(outgoing, raw).whenComplete((id, ex) -> {
			if (ex != null) {
				this.inbox.failed(outgoing.id(), ex);
			}
		});
		return reply;
	}

	@Override
	public CompletableFuture<Void> reply(DiskerMessage<?> received, @Nullable Object response) {
		return sendReply(received, response, null);
	}

	@Override
	public CompletableFuture<Void> replyError(DiskerMessage<?> received, RemoteError error) {
		return sendReply(received, null, error);
	}

	@Override
	public boolean hasReplyAddress(DiskerMessage<?> received) {
		return received.replyTo() != null || received.sender() != null;
	}

	@Override
	public boolean isAwaited(DiskerMessage<?> received) {
		return received.replyTo() != null;
	}

	private CompletableFuture<Void> sendReply(DiskerMessage<?> received, @Nullable Object response,
			@Nullable RemoteError error) {
		Assert.notNull(received, "Missing required argument 'message'");
		Assert.isTrue(received.id() != null, "Missing required field 'message.id'");
		String inbox = received.replyTo();
		if (inbox != null) {
			DiskerMessage<Object> reply = replyMessage(received, received.queue(), null, response);
			byte[] raw = this.codec.encode(reply, error);
			return this.queues.scripts()
				.<Long>run(DiskerScript.REPLY, ScriptOutputType.INTEGER,
						new String[] { this.queues.keys().inboxAlive(inbox), this.queues.keys().inbox(inbox) }, raw)
				.thenApply((delivered) -> null);
		}
		String sender = received.sender();
		if (sender != null && error == null) {
			DiskerMessage<Object> reply = replyMessage(received, sender, received.queue(), response);
			return push(reply, this.codec.encode(reply)).thenApply((id) -> null);
		}
		if (sender != null) {
			return CompletableFuture.completedFuture(null);
		}
		throw new IllegalArgumentException("Cannot reply to message " + received.id() + " of queue '"
				+ received.queue() + "': it has no reply address (it was sent neither with request(...) nor from(...) "
				+ "a named sender)");
	}

	private DiskerMessage<Object> replyMessage(DiskerMessage<?> received, String queue, @Nullable String sender,
			@Nullable Object response) {
		return new DiskerMessage<>(MessageIds.next(), queue, received.task(), sender, null, received.id(), response,
				java.util.Map.of(), this.queues.clock().now(), null, 1, null, null);
	}

	private DiskerMessage<?> stamp(DiskerMessage<?> message, @Nullable String replyTo) {
		Assert.notNull(message, "'message' must not be null");
		DiskerNames.validate("queue", message.queue());
		if (message.sender() != null) {
			DiskerNames.validate("sender", message.sender());
		}
		Assert.isTrue(message.delay() == null, "Delayed delivery is not available in this version");
		Instant now = this.queues.clock().now();
		Duration timeout = message.timeout();
		if (timeout == null && replyTo != null) {
			timeout = this.defaultTimeout;
		}
		Instant deadline = (timeout != null) ? now.plus(timeout) : null;
		String id = (message.id() != null) ? message.id() : MessageIds.next();
		return new DiskerMessage<>(id, message.queue(), message.task(), message.sender(), replyTo, null,
				message.payload(), message.headers(), now, deadline, 1, timeout, null);
	}

	private CompletableFuture<String> push(DiskerMessage<?> message, byte[] raw) {
		QueueKeys keys = this.queues.keys().queue(message.queue());
		this.queues.leases().registerQueue(message.queue());
		return this.queues.connections().async().lpush(keys.ready(), raw).toCompletableFuture().handle((n, ex) -> {
			if (ex != null) {
				throw new DiskerConnectionException("Sending to queue '" + message.queue() + "' failed: "
						+ ex.getMessage(), ex);
			}
			this.queues.metrics().sent(message.queue());
			return message.id();
		});
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.inbox.stop();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
