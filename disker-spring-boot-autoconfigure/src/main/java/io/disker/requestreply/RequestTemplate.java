package io.disker.requestreply;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.disker.core.DiskerConnectionException;
import io.disker.core.DiskerException;
import io.disker.core.DiskerMessage;
import io.disker.core.DiskerNames;
import io.disker.core.DiskerOperations;
import io.disker.core.support.MessageCodec;
import io.disker.core.support.MessageIds;
import io.disker.core.support.RemoteError;
import io.disker.core.support.ReplyChannel;
import io.disker.observation.DefaultDiskerTemplateObservationConvention;
import io.disker.observation.DiskerObservations;
import io.disker.observation.DiskerSenderContext;
import io.disker.observation.DiskerTemplateObservation;
import io.disker.observation.LoopStatus;
import io.disker.observation.LoopStatusSource;
import io.disker.queue.QueueContext;
import io.disker.redis.DiskerScript;
import io.disker.redis.QueueKeys;
import io.disker.redis.RedisClock;
import io.disker.redis.ScriptRunner;
import io.lettuce.core.ScriptOutputType;
import io.micrometer.observation.Observation;
import io.netty.util.Timeout;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.log.LogAccessor;
import org.springframework.util.Assert;

/**
 * The default {@link DiskerOperations}: sends messages, sends requests and matches their
 * replies, and sends replies.
 * <ul>
 * <li>A message with a {@link DiskerMessage.Builder#delay(Duration) delay} waits in Redis
 * until due, then joins the tail of its queue.</li>
 * <li>A message with an explicit {@link DiskerMessage.Builder#id(String) id} is enqueued
 * once per deduplication window, however often it is sent (safe to retry).</li>
 * <li>A message sent {@link DiskerMessage.Builder#from(String) from} a named sender with
 * a {@link DiskerMessage.Builder#timeout(Duration) timeout} is either answered (the reply
 * goes to the sender's queue) or reported once to the sender's timeout listeners.</li>
 * <li>Requests are answered through one reply inbox per application instance, read by a
 * single connection and started on the first request, and matched by correlation id; a
 * reply that arrives after its request timed out is counted and dropped. Request futures
 * complete on Disker's reply executor.</li>
 * </ul>
 * While the Redis connection is down, sends fail at once with
 * {@link DiskerConnectionException}; a send that gets no answer within the send timeout
 * fails the same way.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class RequestTemplate implements DiskerOperations, ReplyChannel, SmartLifecycle, LoopStatusSource {

	/**
	 * The lifecycle phase: before listener containers start, after they stop.
	 */
	public static final int PHASE = Integer.MAX_VALUE - 200;

	private static final LogAccessor logger = new LogAccessor(RequestTemplate.class);

	private final QueueContext queues;

	private final MessageCodec codec;

	private final Duration defaultTimeout;

	private final ReplyInbox inbox;

	private Duration sendTimeout = Duration.ofSeconds(5);

	private Duration dedupWindow = Duration.ofMinutes(10);

	private DiskerObservations observations = DiskerObservations.NONE;

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
	 * Set how long a send waits for Redis before failing.
	 * @param sendTimeout the timeout
	 */
	public void setSendTimeout(Duration sendTimeout) {
		Assert.isTrue(sendTimeout.toMillis() > 0, "'sendTimeout' must be positive");
		this.sendTimeout = sendTimeout;
	}

	/**
	 * Set how long an explicit message id is remembered for deduplication.
	 * @param dedupWindow the window
	 */
	public void setDedupWindow(Duration dedupWindow) {
		Assert.isTrue(dedupWindow.toMillis() > 0, "'dedupWindow' must be positive");
		this.dedupWindow = dedupWindow;
	}

	/**
	 * Set the observation registry and conventions; each send, request and reply is then
	 * observed and carries the trace context in its headers.
	 * @param observations the observations
	 */
	public void setObservations(DiskerObservations observations) {
		Assert.notNull(observations, "'observations' must not be null");
		this.observations = observations;
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
		DiskerMessage<?> stamped = stamp(message, null);
		return observed(stamped, "send", (outgoing) -> enqueue(outgoing, this.codec.encode(outgoing),
				message.id() != null, delayMillis(message), deliverAtMillis(message)));
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
		return observed(stamp(message, this.inbox.id()), "request",
				(outgoing) -> request(outgoing, message, replyType));
	}

	private <R> CompletableFuture<R> request(DiskerMessage<?> outgoing, DiskerMessage<?> message, Class<R> replyType) {
		byte[] raw = this.codec.encode(outgoing);
		this.inbox.start();
		this.inbox.ensureAlive();
		Duration timeout = (outgoing.timeout() != null) ? outgoing.timeout() : this.defaultTimeout;
		CompletableFuture<R> reply = this.inbox.register(outgoing.id(), outgoing.queue(),
				this.codec.getMapper().constructType(replyType), timeout);
		boolean explicitId = message.id() != null;
		enqueue(outgoing, raw, explicitId, delayMillis(message), deliverAtMillis(message)).whenComplete((id, ex) -> {
			if (ex != null) {
				this.inbox.failed(outgoing.id(), unwrap(ex));
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

	/**
	 * Run an operation under a {@code disker.send} observation whose trace context
	 * travels in the message headers; the observation ends when the operation's future
	 * completes.
	 * @param action the action
	 * @param <T> the type of the operation's result
	 * @param message the message
	 * @param operation the operation
	 * @return the operation's future
	 */
	private <T> CompletableFuture<T> observed(DiskerMessage<?> message, String operation,
			Function<DiskerMessage<?>, CompletableFuture<T>> action) {
		if (!this.observations.isEnabled()) {
			return action.apply(message);
		}
		Map<String, String> headers = new LinkedHashMap<>(message.headers());
		DiskerSenderContext context = new DiskerSenderContext(headers, message.queue(), message.id(), operation);
		Observation observation = DiskerTemplateObservation.TEMPLATE_OBSERVATION
			.observation(this.observations.templateConvention(), DefaultDiskerTemplateObservationConvention.INSTANCE,
					() -> context, this.observations.registry())
			.start();
		CompletableFuture<T> result;
		try (Observation.Scope scope = observation.openScope()) {
			result = action.apply(message.withHeaders(headers));
		}
		catch (RuntimeException ex) {
			observation.error(ex);
			observation.stop();
			throw ex;
		}
		return result.whenComplete((value, ex) -> {
			if (ex != null) {
				observation.error(unwrap(ex));
			}
			observation.stop();
		});
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
			return observed(replyMessage(received, received.queue(), null, response), "reply",
					(reply) -> replyToInbox(inbox, reply, error));
		}
		String sender = received.sender();
		if (sender == null) {
			throw new IllegalArgumentException("Cannot reply to message " + received.id() + " of queue '"
					+ received.queue() + "': it has no reply address (it was sent neither with request(...) "
					+ "nor from(...) a named sender)");
		}
		if (error != null) {
			// a named sender learns of failures through its timeout listeners
			return CompletableFuture.completedFuture(null);
		}
		return observed(replyMessage(received, sender, received.queue(), response), "reply",
				(reply) -> replyToSender(received, sender, reply));
	}

	private CompletableFuture<Void> replyToInbox(String inbox, DiskerMessage<?> reply, @Nullable RemoteError error) {
		byte[] raw = this.codec.encode(reply, error);
		return withTimeout(this.queues.scripts()
			.<Long>run(DiskerScript.REPLY, ScriptOutputType.INTEGER,
					new String[] { this.queues.keys().inboxAlive(inbox), this.queues.keys().inbox(inbox) }, raw))
			.thenApply((delivered) -> null);
	}

	private CompletableFuture<Void> replyToSender(DiskerMessage<?> received, String sender, DiskerMessage<?> reply) {
		byte[] raw = this.codec.encode(reply);
		QueueKeys replyQueue = this.queues.keys().queue(sender);
		QueueKeys senderKeys = this.queues.keys().sender(sender);
		this.queues.leases().registerQueue(replyQueue);
		return withTimeout(this.queues.scripts()
			.<Long>run(DiskerScript.SENDER_REPLY, ScriptOutputType.INTEGER,
					new String[] { senderKeys.key("timeouts"), senderKeys.key("pending"), replyQueue.ready() },
					ScriptRunner.arg(received.id()), raw, ScriptRunner.arg((received.timeout() != null) ? 1 : 0)))
			.thenApply((delivered) -> {
				if (delivered == 0) {
					this.queues.metrics().lateReply();
					logger.debug(() -> "Dropped the reply to message " + received.id() + ": its timeout was already "
							+ "reported to sender '" + sender + "'");
				}
				else {
					this.queues.metrics().sent(sender);
				}
				return null;
			});
	}

	private DiskerMessage<Object> replyMessage(DiskerMessage<?> received, String queue, @Nullable String sender,
			@Nullable Object response) {
		return new DiskerMessage<>(MessageIds.next(), queue, received.task(), sender, null, received.id(), response,
				Map.of(), this.queues.clock().now(), null, 1, null, null, null);
	}

	private DiskerMessage<?> stamp(DiskerMessage<?> message, @Nullable String replyTo) {
		Assert.notNull(message, "'message' must not be null");
		DiskerNames.validate("queue", message.queue());
		if (message.sender() != null) {
			DiskerNames.validate("sender", message.sender());
		}
		Instant now = this.queues.clock().now();
		Duration timeout = message.timeout();
		if (timeout == null && replyTo != null) {
			timeout = this.defaultTimeout;
		}
		Instant deadline = (timeout != null) ? now.plus(timeout) : null;
		String id = (message.id() != null) ? message.id() : MessageIds.next();
		return new DiskerMessage<>(id, message.queue(), message.task(), message.sender(), replyTo, null,
				message.payload(), message.headers(), now, deadline, 1, timeout, null, null);
	}

	private long delayMillis(DiskerMessage<?> message) {
		if (message.delay() != null) {
			return message.delay().toMillis();
		}
		if (message.deliverAt() != null) {
			return Math.max(0, message.deliverAt().toEpochMilli() - this.queues.clock().millis());
		}
		return -1;
	}

	/**
	 * The absolute due time, passed to the scheduling scripts so that the time a send
	 * spends queued does not make a {@code deliverAt} message late.
	 * @param message the message
	 * @return the due time in epoch milliseconds, or -1
	 */
	private static long deliverAtMillis(DiskerMessage<?> message) {
		return (message.delay() == null && message.deliverAt() != null) ? message.deliverAt().toEpochMilli() : -1;
	}

	private CompletableFuture<String> enqueue(DiskerMessage<?> message, byte[] raw, boolean explicitId,
			long delayMillis, long deliverAtMillis) {
		if (!this.queues.connections().isReachable()) {
			return CompletableFuture.failedFuture(new DiskerConnectionException(
					"Cannot send to queue '" + message.queue() + "': the Redis connection is down", null));
		}
		QueueKeys keys = this.queues.keys().queue(message.queue());
		this.queues.leases().registerQueue(keys);
		// the reply deadline is written first, on the same connection, so it exists
		// before any reply
		CompletableFuture<?> watched = (message.sender() != null && message.timeout() != null)
				? watchReply(message, raw, explicitId) : null;
		CompletableFuture<Long> written;
		if (explicitId) {
			String target = (delayMillis >= 0) ? keys.delayed() : keys.ready();
			written = this.queues.scripts()
				.run(DiskerScript.SEND_ONCE, ScriptOutputType.INTEGER,
						new String[] { keys.key("dedup:" + message.id()), target }, raw,
						ScriptRunner.arg(this.dedupWindow.toMillis()), ScriptRunner.arg(delayMillis),
						ScriptRunner.arg(this.queues.keys().dueChannel()), ScriptRunner.arg(keys.id()),
						ScriptRunner.arg(deliverAtMillis));
		}
		else if (delayMillis >= 0) {
			written = this.queues.scripts()
				.run(DiskerScript.DELAY, ScriptOutputType.INTEGER, new String[] { keys.delayed() }, raw,
						ScriptRunner.arg(delayMillis), ScriptRunner.arg(this.queues.keys().dueChannel()),
						ScriptRunner.arg(keys.id()), ScriptRunner.arg(deliverAtMillis));
		}
		else {
			written = this.queues.connections().async().lpush(keys.ready(), raw).toCompletableFuture();
		}
		if (watched != null) {
			written = written.thenCombine(watched, (result, ignored) -> result);
		}
		// SEND_ONCE answers 0 for a duplicate; LPUSH (the list length) and DELAY (the due
		// time) never do
		return withTimeout(written).handle((result, ex) -> {
			if (ex != null) {
				throw new CompletionException(sendFailure(message.queue(), unwrap(ex)));
			}
			if (!explicitId || result == 1L) {
				this.queues.metrics().sent(message.queue());
			}
			else {
				logger.debug(() -> "Message " + message.id() + " was already sent to queue '" + message.queue()
						+ "' within the deduplication window; not enqueued again");
			}
			return message.id();
		});
	}

	private CompletableFuture<?> watchReply(DiskerMessage<?> message, byte[] raw, boolean explicitId) {
		QueueKeys sender = this.queues.keys().sender(message.sender());
		this.queues.leases().registerQueue(sender);
		String[] keys = explicitId
				? new String[] { sender.key("timeouts"), sender.key("pending"), sender.key("dedup:" + message.id()) }
				: new String[] { sender.key("timeouts"), sender.key("pending") };
		// the sender's keys live in another hash slot than the queue's, so the explicit
		// id gets
		// its own marker there: a duplicate send neither enqueues again nor re-arms the
		// timeout
		return this.queues.scripts()
			.run(DiskerScript.WATCH_REPLY, ScriptOutputType.INTEGER, keys, ScriptRunner.arg(message.id()), raw,
					ScriptRunner.arg(message.timeout().toMillis()), ScriptRunner.arg(this.queues.keys().dueChannel()),
					ScriptRunner.arg(sender.id() + ":deadlines"), ScriptRunner.arg(this.dedupWindow.toMillis()));
	}

	private <T> CompletableFuture<T> withTimeout(CompletableFuture<T> future) {
		if (future.isDone()) {
			return future;
		}
		// one timeout per send: Lettuce's wheel timer arms and cancels in O(1), where
		// CompletableFuture.orTimeout would keep a scheduled task per send in a heap
		Timeout timeout;
		try {
			timeout = this.queues.connections()
				.timer()
				.newTimeout((expired) -> future.completeExceptionally(new TimeoutException()),
						this.sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (IllegalStateException ex) {
			// the client shuts down (its timer stopped) while the application still sends
			return future.orTimeout(this.sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		return future.whenComplete((result, ex) -> timeout.cancel());
	}

	private DiskerException sendFailure(String queue, Throwable ex) {
		if (ex instanceof DiskerException disker) {
			return disker;
		}
		if (ex instanceof TimeoutException) {
			return new DiskerConnectionException("Sending to queue '" + queue + "' got no answer from Redis within "
					+ this.sendTimeout.toMillis() + " ms", ex);
		}
		return new DiskerConnectionException("Sending to queue '" + queue + "' failed: " + ex.getMessage(), ex);
	}

	private static Throwable unwrap(Throwable ex) {
		return (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
	}

	@Override
	public List<LoopStatus> loopStatuses() {
		if (!this.inbox.isRunning()) {
			return List.of();
		}
		long staleAfter = LoopStatus.staleAfterMillis(this.inbox.getReceiveTimeout());
		return List.of(LoopStatus.judge("reply-inbox", "reply-inbox", "running", this.inbox.getLastActivity(),
				RedisClock.monotonicMillis(), staleAfter, Map.of("pendingRequests", this.inbox.getPendingCount())));
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
