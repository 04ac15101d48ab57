package io.disker.requestreply;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.disker.core.DiskerException;
import io.disker.core.DiskerTimeoutException;
import io.disker.core.support.DiskerExecutors;
import io.disker.core.support.InboundMessage;
import io.disker.core.support.MalformedMessageException;
import io.disker.core.support.MessageCodec;
import io.disker.queue.support.QueueContext;
import io.disker.queue.support.RateLimitedLog;
import io.disker.redis.DedicatedConnection;
import io.disker.redis.RedisClock;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

import org.springframework.core.log.LogAccessor;

/**
 * The reply inbox of one application instance: one Redis list, read by one connection,
 * with the pending requests it answers matched by correlation id. A marker key renewed
 * with the consumer leases keeps it alive; when the instance dies the marker and the
 * inbox expire, and replies sent afterwards are dropped instead of piling up.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class ReplyInbox {

	private static final LogAccessor logger = new LogAccessor(ReplyInbox.class);

	private static final int DRAIN_BATCH = 128;

	/**
	 * The longest a chain of waits issued on the Redis I/O thread runs before the reader
	 * thread takes over: with the longest wait after it, well within the reader
	 * connection's timeout (the receive timeout and ten seconds).
	 */
	private static final long CHAIN_NANOS = TimeUnit.SECONDS.toNanos(5);

	/** The largest reply the I/O thread that reads it dispatches itself. */
	private static final int DISPATCH_ON_ARRIVAL_MAX_BYTES = 16 * 1024;

	private final QueueContext queues;

	private final MessageCodec codec;

	private final Executor completions;

	private final Executor readers;

	private final TimeoutHandler timeoutHandler;

	private final Duration receiveTimeout;

	private final String inboxKey;

	private final String aliveKey;

	private final Map<String, PendingRequest> pending = new ConcurrentHashMap<>();

	private final RateLimitedLog errors = new RateLimitedLog(logger, Duration.ofSeconds(10));

	private volatile boolean running;

	/**
	 * Held while the liveness marker is written or deleted: a heartbeat that saw the
	 * inbox running writes before the delete of its stop, never after it.
	 */
	private final Object markerLock = new Object();

	private boolean heartbeatAdded;

	private volatile @Nullable DedicatedConnection connection;

	private volatile long lastActivity;

	/**
	 * Whether replies came since the last whole wait that brought none (reader thread
	 * only): then the drain is pipelined behind the wait.
	 */
	private boolean repliesCome;

	/**
	 * When the last marker write of the current epoch was issued (monotonic ms), 0 if
	 * none landed.
	 */
	private final AtomicLong markedAt = new AtomicLong();

	/**
	 * Bumped when the marker may be lost: the reader's connection failed, as when Redis
	 * restarts.
	 */
	private final AtomicLong markerEpoch = new AtomicLong();

	/** Counted down when the reader of the current run returns; null while none ran. */
	private @Nullable CountDownLatch readerDone;

	ReplyInbox(QueueContext queues, MessageCodec codec, DiskerExecutors executors, Duration receiveTimeout,
			TimeoutHandler timeoutHandler) {
		this.queues = queues;
		this.codec = codec;
		this.completions = executors.replies();
		this.readers = executors.containers();
		this.timeoutHandler = timeoutHandler;
		this.receiveTimeout = receiveTimeout;
		this.inboxKey = queues.keys().inbox(queues.instanceId());
		this.aliveKey = queues.keys().inboxAlive(queues.instanceId());
	}

	String id() {
		return this.queues.instanceId();
	}

	boolean isRunning() {
		return this.running;
	}

	long getLastActivity() {
		return this.lastActivity;
	}

	Duration getReceiveTimeout() {
		return this.receiveTimeout;
	}

	int getPendingCount() {
		return this.pending.size();
	}

	synchronized void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		keepAlive();
		if (!this.heartbeatAdded) {
			this.queues.leases().addHeartbeat(this::keepAlive);
			this.heartbeatAdded = true;
		}
		CountDownLatch done = new CountDownLatch(1);
		this.readerDone = done;
		this.lastActivity = RedisClock.monotonicMillis();
		try {
			this.readers.execute(() -> {
				try {
					read();
				}
				finally {
					done.countDown();
				}
			});
		}
		catch (RuntimeException ex) {
			this.running = false;
			done.countDown();
			throw new DiskerException("Could not start the reply inbox reader", ex);
		}
	}

	synchronized void stop() {
		this.running = false;
		DedicatedConnection current = this.connection;
		if (current != null) {
			current.abortWait();
		}
		CountDownLatch done = this.readerDone;
		if (done != null) {
			try {
				done.await(this.receiveTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.pending.keySet().forEach((id) -> {
			PendingRequest request = this.pending.remove(id);
			if (request != null) {
				request.fail(new DiskerException("Request " + id + " cancelled: the application is shutting down"));
			}
		});
		if (!this.queues.connections().isReachable()) {
			return; // the inbox expires with its liveness marker
		}
		try {
			synchronized (this.markerLock) {
				this.queues.connections().async().del(this.aliveKey, this.inboxKey);
			}
		}
		catch (RuntimeException ex) {
			// Redis is gone: the inbox expires with its liveness marker
			logger.debug(ex, "Could not delete the reply inbox on stop");
		}
	}

	<R> CompletableFuture<R> register(String id, String queue, JavaType replyType, Duration timeout) {
		CompletableFuture<R> future = new ReplyFuture<>(this.completions);
		PendingRequest request = new PendingRequest(queue, replyType, future, System.nanoTime());
		PendingRequest waiting = this.pending.putIfAbsent(id, request);
		if (waiting != null) {
			// the same explicit id again (a retried request): the one reply answers both
			// callers
			return waiting.join(replyType, id);
		}
		ScheduledFuture<?> task = this.queues.scheduler()
			.schedule(() -> timedOut(id, request, timeout), timeout.toMillis(), TimeUnit.MILLISECONDS);
		request.setTimeoutTask(task);
		return future;
	}

	void failed(String id, Throwable ex) {
		PendingRequest request = this.pending.remove(id);
		if (request != null) {
			request.cancelTimeout();
			request.fail(ex);
		}
	}

	private void timedOut(String id, PendingRequest request, Duration timeout) {
		if (this.pending.remove(id, request)) {
			this.queues.metrics().requestCompleted(request.queue(), request.elapsedNanos(), "timeout");
			this.completions.execute(() -> {
				boolean handled;
				try {
					handled = this.timeoutHandler.handleTimeout(id, request.queue(), request.future());
				}
				catch (RuntimeException ex) {
					logger.warn(ex, () -> "The timeout handler of request " + id + " failed");
					handled = false;
				}
				if (!handled) {
					request.fail(new DiskerTimeoutException(request.queue(), id, timeout));
				}
			});
		}
	}

	/**
	 * Make sure the liveness marker exists before a request goes out on the shared
	 * connection: a responder drops replies to an instance without one. The heartbeat
	 * renews it, but after Redis restarted empty, or a renewal was lost with a broken
	 * connection, it may be missing until the next beat; so a request writes it (ahead of
	 * itself, on the same connection) unless a write since the last failure landed
	 * recently.
	 */
	void ensureAlive() {
		long last = this.markedAt.get();
		if (last == 0 || RedisClock.monotonicMillis() - last > this.queues.leaseTime().toMillis() / 3) {
			keepAlive();
		}
	}

	private void keepAlive() {
		synchronized (this.markerLock) {
			if (!this.running) {
				return;
			}
			long ttl = this.queues.leaseTime().toMillis();
			long epoch = this.markerEpoch.get();
			long issued = RedisClock.monotonicMillis();
			this.queues.connections()
				.async()
				.set(this.aliveKey, new byte[] { '1' }, SetArgs.Builder.px(ttl))
				.whenComplete((ok, ex) -> {
					if (ex == null && this.markerEpoch.get() == epoch) {
						this.markedAt.accumulateAndGet(issued, Math::max);
					}
				});
			this.queues.connections().async().pexpire(this.inboxKey, ttl);
		}
	}

	private void markerMayBeLost() {
		this.markerEpoch.incrementAndGet();
		this.markedAt.set(0);
	}

	private void read() {
		while (this.running) {
			try {
				readOnce();
			}
			catch (RuntimeException ex) {
				closeConnection();
				markerMayBeLost();
				if (this.running) {
					this.errors.warn(ex, () -> "Reading the reply inbox failed; retrying");
					sleepQuietly(200);
				}
			}
		}
		closeConnection();
	}

	private void readOnce() {
		DedicatedConnection current = connection();
		if (this.repliesCome) {
			readBehindWait(current);
			return;
		}
		// the wait takes nothing, so stopping may cut it short by closing the connection
		// without losing a reply
		byte[] oldest = current.awaitTail(this.inboxKey, this.receiveTimeout);
		this.lastActivity = RedisClock.monotonicMillis();
		if (oldest == null) {
			return;
		}
		this.repliesCome = true;
		// the wait returned the oldest reply (it stays at the tail, where the wait put it
		// back): it is dispatched now rather than a round trip later, and skipped when
		// the
		// drain below takes it (this reader alone takes from the inbox). Should the drain
		// fail, the next read dispatches it again, which finds no pending request.
		dispatch(oldest);
		List<byte[]> first = current.commands().rpop(this.inboxKey, DRAIN_BATCH);
		if (first != null) {
			byte @Nullable [] toSkip = oldest;
			for (byte[] raw : first) {
				if (toSkip != null && Arrays.equals(raw, toSkip)) {
					toSkip = null;
					continue;
				}
				toSkip = null;
				dispatch(raw);
			}
		}
		drainWhileFull(current, (first != null) ? first.size() : 0);
	}

	/**
	 * While replies come, the drain is pipelined behind the wait: Redis pops what arrived
	 * as soon as the wait ends, and the replies come back with the wait's answer, one
	 * round trip per wake-up. Stopping may then pop replies that are not read, but
	 * stopping fails every pending request anyway. After a whole wait that brought
	 * nothing, the reader waits without the drain again.
	 * @param current the connection
	 */
	private void readBehindWait(DedicatedConnection current) {
		Popped popped = current.awaitThen(this.inboxKey, this.receiveTimeout, (commands) -> {
			CompletableFuture<Popped> chainEnd = new CompletableFuture<>();
			popThenWaitAgain(commands, chainEnd, System.nanoTime());
			return chainEnd;
		});
		this.lastActivity = RedisClock.monotonicMillis();
		if (popped == null || popped.count() == 0) {
			this.repliesCome = false;
			return;
		}
		popped.rest().forEach(this::dispatch);
		drainWhileFull(current, popped.count());
	}

	/**
	 * Pop what the wait found, then, while small replies come fewer than a batch at a
	 * time, dispatch them and issue the next wait and pop on the Redis I/O thread that
	 * read them: the reader thread then sleeps through request after request instead of
	 * waking for each to issue the next wait. The chain hands over to the reader thread
	 * (completing {@code chainEnd}) when a wait brings nothing, a reply is large or a
	 * batch full, on stop, on a failure, and after {@link #CHAIN_NANOS}, so that the
	 * reader's own wait for the chain stays within the connection's timeout.
	 * @param commands the connection's asynchronous commands
	 * @param chainEnd completed with the last pop when the chain ends
	 * @param chainStart when the chain started ({@link System#nanoTime()})
	 */
	private void popThenWaitAgain(RedisClusterAsyncCommands<String, byte[]> commands,
			CompletableFuture<Popped> chainEnd, long chainStart) {
		commands.rpop(this.inboxKey, DRAIN_BATCH).whenComplete((replies, ex) -> {
			if (ex != null) {
				chainEnd.completeExceptionally(ex);
				return;
			}
			Popped popped = dispatchSmallOnArrival(replies);
			if (popped.count() == 0 || popped.count() == DRAIN_BATCH || !popped.rest().isEmpty() || !this.running
					|| chainEnd.isDone() || System.nanoTime() - chainStart > CHAIN_NANOS) {
				chainEnd.complete(popped);
				return;
			}
			this.lastActivity = RedisClock.monotonicMillis();
			try {
				DedicatedConnection.issueWait(commands, this.inboxKey, this.receiveTimeout);
				popThenWaitAgain(commands, chainEnd, chainStart);
			}
			catch (RuntimeException failure) {
				chainEnd.completeExceptionally(failure);
			}
		});
	}

	/**
	 * Dispatch the small replies of a drain on the thread that read them, a Redis I/O
	 * thread: the caller waiting for one wakes without a hand-off to the reader thread.
	 * Completing a request only wakes its waiters (the stages attached to it run on the
	 * reply executor, see {@link ReplyFuture}), and a small envelope decodes in
	 * microseconds; larger replies are left to the reader thread, so that decoding them
	 * holds up no other connection.
	 * @param replies the replies popped, or {@code null}
	 * @return how many were popped, and those not dispatched yet
	 */
	private Popped dispatchSmallOnArrival(@Nullable List<byte[]> replies) {
		if (replies == null || replies.isEmpty()) {
			return new Popped(0, List.of());
		}
		List<byte[]> rest = new ArrayList<>(0);
		for (byte[] raw : replies) {
			if (raw.length > DISPATCH_ON_ARRIVAL_MAX_BYTES) {
				rest.add(raw);
				continue;
			}
			try {
				dispatch(raw);
			}
			catch (RuntimeException ex) {
				this.errors.warn(ex, () -> "Dispatching a reply failed");
			}
		}
		return new Popped(replies.size(), rest);
	}

	/**
	 * Pop and dispatch further batches while the last one came full.
	 * @param current the connection
	 * @param lastCount how many replies the last batch held
	 */
	private void drainWhileFull(DedicatedConnection current, int lastCount) {
		int count = lastCount;
		while (count == DRAIN_BATCH) {
			List<byte[]> more = current.commands().rpop(this.inboxKey, DRAIN_BATCH);
			count = (more != null) ? more.size() : 0;
			if (more != null) {
				more.forEach(this::dispatch);
			}
		}
	}

	private void dispatch(byte[] raw) {
		InboundMessage reply;
		try {
			reply = this.codec.decode(raw);
		}
		catch (MalformedMessageException ex) {
			logger.warn(() -> "Dropped an unreadable reply: " + ex.getMessage());
			return;
		}
		String correlationId = reply.message().correlationId();
		PendingRequest request = (correlationId != null) ? this.pending.remove(correlationId) : null;
		if (request == null) {
			this.queues.metrics().lateReply();
			logger.debug(() -> "Dropped a reply to " + correlationId + ": the request timed out or is unknown");
			return;
		}
		request.cancelTimeout();
		this.queues.metrics()
			.requestCompleted(request.queue(), request.elapsedNanos(), (reply.error() != null) ? "error" : "reply");
		// on this thread: a caller waiting for the reply wakes at once, and the stages
		// attached to the future run on the reply executor (see ReplyFuture)
		request.complete(reply, this.codec);
	}

	private DedicatedConnection connection() {
		DedicatedConnection current = this.connection;
		if (current == null || !current.isOpen()) {
			current = this.queues.connections().dedicated(this.receiveTimeout.plusSeconds(10));
			this.connection = current;
		}
		return current;
	}

	private void closeConnection() {
		DedicatedConnection current = this.connection;
		this.connection = null;
		if (current != null) {
			try {
				current.close();
			}
			catch (RuntimeException ex) {
				logger.debug(ex, "Closing the reply inbox connection failed");
			}
		}
	}

	private static void sleepQuietly(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Told when a request got no reply in time.
	 */
	@FunctionalInterface
	interface TimeoutHandler {

		/**
		 * A request timed out.
		 * @param correlationId the request's id
		 * @param queue the queue it was sent to
		 * @param future its future, not completed yet
		 * @return whether the handler completed the future
		 */
		boolean handleTimeout(String correlationId, String queue, CompletableFuture<?> future);

	}

	/**
	 * The outcome of a drain behind a wait.
	 *
	 * @param count how many replies it popped
	 * @param rest the replies not dispatched yet
	 */
	private record Popped(int count, List<byte[]> rest) {
	}

}
