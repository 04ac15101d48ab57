package io.disker.requestreply;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

import io.disker.core.DiskerConnectionException;
import io.disker.core.DiskerMessage;
import io.disker.core.DiskerNames;
import io.disker.core.DiskerOperations;
import io.disker.core.DiskerTimeoutException;
import io.disker.core.OutgoingMessage;
import io.disker.core.support.DiskerExecutors;
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
import io.disker.queue.support.QueueContext;
import io.disker.redis.RedisClock;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * The default {@link DiskerOperations}: sends messages, sends requests and matches their
 * replies, and sends replies; shaped like Spring Kafka's {@code ReplyingKafkaTemplate}.
 * <ul>
 * <li>A message with a {@link OutgoingMessage.Builder#delay(Duration) delay} waits in
 * Redis until due, then joins the tail of its queue.</li>
 * <li>A message with an explicit {@link OutgoingMessage.Builder#id(String) id} is
 * enqueued once per deduplication window, however often it is sent (safe to retry).</li>
 * <li>A message sent {@link OutgoingMessage.Builder#from(String) from} a named sender
 * with a {@link OutgoingMessage.Builder#timeout(Duration) timeout} is either answered
 * (the reply goes to the sender's queue) or reported once to the sender's timeout
 * listeners.</li>
 * <li>Requests are answered through one reply inbox per application instance, read by one
 * connection on a thread of Disker's executors (started on the first request, stopped
 * with this template), and matched by correlation id; a reply that arrives after its
 * request timed out is counted and dropped. Request futures complete on Disker's reply
 * executor. A subclass learns of timeouts through
 * {@link #handleTimeout(String, String, CompletableFuture)}.</li>
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

	private final QueueContext queues;

	private final MessageCodec codec;

	private final Duration defaultTimeout;

	private final MessageWriter writer;

	private final ReplyInbox inbox;

	private DiskerObservations observations = DiskerObservations.NONE;

	private volatile boolean running;

	/**
	 * Create a template.
	 * @param queues the queue runtime
	 * @param codec the message codec
	 * @param defaultTimeout the request timeout when none is given
	 * @param executors runs the reply inbox reader and completes request futures
	 * @param receiveTimeout the blocking wait of the reply inbox reader
	 */
	public RequestTemplate(QueueContext queues, MessageCodec codec, Duration defaultTimeout, DiskerExecutors executors,
			Duration receiveTimeout) {
		Assert.isTrue(defaultTimeout.toMillis() > 0, "'defaultTimeout' must be positive");
		this.queues = queues;
		this.codec = codec;
		this.defaultTimeout = defaultTimeout;
		this.writer = new MessageWriter(queues);
		this.inbox = new ReplyInbox(queues, codec, executors, receiveTimeout, this::handleTimeout);
	}

	/**
	 * Set how long a send waits for Redis before failing.
	 * @param sendTimeout the timeout
	 */
	public void setSendTimeout(Duration sendTimeout) {
		Assert.isTrue(sendTimeout.toMillis() > 0, "'sendTimeout' must be positive");
		this.writer.setSendTimeout(sendTimeout);
	}

	/**
	 * Set how long an explicit message id is remembered for deduplication.
	 * @param dedupWindow the window
	 */
	public void setDedupWindow(Duration dedupWindow) {
		Assert.isTrue(dedupWindow.toMillis() > 0, "'dedupWindow' must be positive");
		this.writer.setDedupWindow(dedupWindow);
	}

	/**
	 * Make every send wait until that many replicas acknowledged it ({@code WAIT}); a
	 * send that fewer replicas acknowledged within the timeout fails with
	 * {@link io.disker.core.DiskerReplicationException}. 0 (the default) does not wait.
	 * @param replicas how many replicas must acknowledge
	 * @param timeout the longest wait for them
	 */
	public void setReplicasAck(int replicas, Duration timeout) {
		Assert.isTrue(replicas >= 0, "'replicas' must not be negative");
		Assert.isTrue(!timeout.isNegative() && !timeout.isZero(), "'timeout' must be positive");
		this.writer.setReplicasAck(replicas, timeout);
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
	 * Return how long a send waits for Redis before failing.
	 * @return the timeout
	 */
	public Duration getSendTimeout() {
		return this.writer.getSendTimeout();
	}

	/**
	 * Return how long an explicit message id is remembered for deduplication.
	 * @return the window
	 */
	public Duration getDedupWindow() {
		return this.writer.getDedupWindow();
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
	public CompletableFuture<String> send(OutgoingMessage<?> message) {
		return failingOnConnection(() -> {
			DiskerMessage<?> stamped = stamp(message, null);
			return observed(stamped, "send", (outgoing) -> this.writer.enqueue(outgoing, this.codec.encode(outgoing),
					message.id() != null, delayMillis(message), deliverAtMillis(message)));
		});
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
	public <R> CompletableFuture<R> request(OutgoingMessage<?> message, Class<R> replyType) {
		Assert.notNull(replyType, "'replyType' must not be null");
		return failingOnConnection(() -> observed(stamp(message, this.inbox.id()), "request",
				(outgoing) -> request(outgoing, message, replyType)));
	}

	/**
	 * Send a request and return both its enqueue acknowledgement and its reply (RQR-02:
	 * the requester learns when Redis accepted the request without another round trip).
	 * @param <R> the reply type
	 * @param message the request
	 * @param replyType the reply type
	 * @return the request in flight
	 */
	public <R> RequestHandle<R> submit(OutgoingMessage<?> message, Class<R> replyType) {
		Assert.notNull(replyType, "'replyType' must not be null");
		RequestHandle<?>[] handle = new RequestHandle<?>[1];
		CompletableFuture<R> reply = failingOnConnection(
				() -> observed(stamp(message, this.inbox.id()), "request", (outgoing) -> {
					RequestHandle<R> started = start(outgoing, message, replyType);
					handle[0] = started;
					return started.reply();
				}));
		if (handle[0] == null) {
			// failed before anything was written (no connection)
			CompletableFuture<String> notEnqueued = reply.thenApply((ignored) -> "");
			return new RequestHandle<>("", notEnqueued, reply);
		}
		@SuppressWarnings("unchecked")
		RequestHandle<R> started = (RequestHandle<R>) handle[0];
		return new RequestHandle<>(started.id(), started.enqueued(), reply);
	}

	/**
	 * Send a payload as a request and return both its enqueue acknowledgement and its
	 * reply.
	 * @param <R> the reply type
	 * @param queue the queue
	 * @param payload the payload
	 * @param replyType the reply type
	 * @return the request in flight
	 */
	public <R> RequestHandle<R> submit(String queue, Object payload, Class<R> replyType) {
		return submit(DiskerMessage.to(queue).payload(payload).build(), replyType);
	}

	private <R> CompletableFuture<R> request(DiskerMessage<?> outgoing, OutgoingMessage<?> message,
			Class<R> replyType) {
		return start(outgoing, message, replyType).reply();
	}

	private <R> RequestHandle<R> start(DiskerMessage<?> outgoing, OutgoingMessage<?> message, Class<R> replyType) {
		byte[] raw = this.codec.encode(outgoing);
		this.inbox.start();
		this.inbox.ensureAlive();
		Duration timeout = (outgoing.timeout() != null) ? outgoing.timeout() : this.defaultTimeout;
		CompletableFuture<R> reply = this.inbox.register(outgoing.id(), outgoing.queue(),
				this.codec.getMapper().constructType(replyType), timeout);
		CompletableFuture<String> enqueued = this.writer
			.enqueue(outgoing, raw, message.id() != null, delayMillis(message), deliverAtMillis(message))
			.whenComplete((id, ex) -> {
				if (ex != null) {
					this.inbox.failed(outgoing.id(), MessageWriter.unwrap(ex));
				}
			});
		return new RequestHandle<>(outgoing.id(), enqueued, reply);
	}

	@Override
	public CompletableFuture<Void> reply(DiskerMessage<?> received, @Nullable Object response) {
		return failingOnConnection(() -> sendReply(received, response, null));
	}

	@Override
	public CompletableFuture<Void> replyError(DiskerMessage<?> received, RemoteError error) {
		return failingOnConnection(() -> sendReply(received, null, error));
	}

	/**
	 * Run an operation whose preparation may need Redis (the clock's first reading): a
	 * connection failure then fails the returned future, as a failed write does, rather
	 * than being thrown at the caller.
	 * @param <T> the type of the operation's result
	 * @param operation the operation
	 * @return the operation's future
	 */
	private static <T> CompletableFuture<T> failingOnConnection(Supplier<CompletableFuture<T>> operation) {
		try {
			return operation.get();
		}
		catch (DiskerConnectionException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Called when a request got no reply within its timeout, before its future fails with
	 * {@link DiskerTimeoutException}: a subclass may clean up state of its own, or
	 * complete the future itself (with a fallback, say) and return {@code true}.
	 * @param correlationId the id of the request message
	 * @param queue the queue the request was sent to
	 * @param future the request's future, not yet completed
	 * @return whether this method completed the future
	 */
	protected boolean handleTimeout(String correlationId, String queue, CompletableFuture<?> future) {
		return false;
	}

	/**
	 * Run an operation under a {@code disker.send} observation whose trace context
	 * travels in the message headers; the observation ends when the operation's future
	 * completes.
	 * @param <T> the type of the operation's result
	 * @param message the message
	 * @param operation the operation
	 * @param action the action that sends the message
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
		BiConsumer<T, Throwable> stop = (value, ex) -> {
			if (ex != null) {
				observation.error(MessageWriter.unwrap(ex));
			}
			observation.stop();
		};
		// a reply's future runs the stages attached to it on the reply executor; ending
		// the observation does not wait for it
		return (result instanceof ReplyFuture<T> reply) ? reply.whenCompleteInline(stop) : result.whenComplete(stop);
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
		Assert.notNull(received, "'received' must not be null");
		String inbox = received.replyTo();
		Instant now = this.queues.clock().now();
		if (inbox != null) {
			DiskerMessage<Object> reply = received.reply(MessageIds.next(), received.queue())
				.payload(response)
				.createdAt(now)
				.build();
			return observed(reply, "reply",
					(observedReply) -> this.writer.replyToInbox(inbox, this.codec.encode(observedReply, error)));
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
		DiskerMessage<Object> reply = received.reply(MessageIds.next(), sender)
			.sender(received.queue())
			.payload(response)
			.createdAt(now)
			.build();
		return observed(reply, "reply",
				(observedReply) -> this.writer.replyToSender(received, sender, this.codec.encode(observedReply)));
	}

	private DiskerMessage<?> stamp(OutgoingMessage<?> message, @Nullable String replyTo) {
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
		String id = (message.id() != null) ? message.id() : MessageIds.next();
		return message.toMessage(id, now, timeout, replyTo);
	}

	private long delayMillis(OutgoingMessage<?> message) {
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
	private static long deliverAtMillis(OutgoingMessage<?> message) {
		return (message.delay() == null && message.deliverAt() != null) ? message.deliverAt().toEpochMilli() : -1;
	}

	@Override
	public List<LoopStatus> loopStatuses() {
		if (!this.inbox.isRunning()) {
			return List.of();
		}
		return List.of(LoopStatus.judge("reply-inbox", "reply-inbox", "running", this.inbox.getLastActivity(),
				RedisClock.monotonicMillis(), LoopStatus.staleAfterMillis(this.inbox.getReceiveTimeout()),
				Map.of("pendingRequests", this.inbox.getPendingCount())));
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
