package io.disker.requestreply;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.disker.core.DiskerConnectionException;
import io.disker.core.DiskerException;
import io.disker.core.DiskerMessage;
import io.disker.core.DiskerReplicationException;
import io.disker.queue.support.QueueContext;
import io.disker.redis.BusyRetry;
import io.disker.redis.DiskerScript;
import io.disker.redis.QueueKeys;
import io.disker.redis.ScriptRunner;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.ScriptOutputType;
import io.netty.util.Timeout;

import org.springframework.core.log.LogAccessor;

/**
 * Writes encoded messages to Redis for the {@link RequestTemplate}: a send (plain,
 * delayed, deduplicated by its explicit id, with a named sender's reply deadline), a
 * reply to a requester's inbox, a reply to a named sender's queue. Every write fails its
 * future with {@link DiskerConnectionException} at once while the connection is down, or
 * after the send timeout.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class MessageWriter {

	private static final LogAccessor logger = new LogAccessor(MessageWriter.class);

	private final QueueContext queues;

	private volatile Duration sendTimeout = Duration.ofSeconds(5);

	private volatile Duration dedupWindow = Duration.ofMinutes(10);

	private volatile int replicasAck;

	private volatile Duration replicasAckTimeout = Duration.ofSeconds(1);

	private final PushCoalescer pushes;

	MessageWriter(QueueContext queues) {
		this.queues = queues;
		this.pushes = new PushCoalescer(queues::connections);
	}

	Duration getSendTimeout() {
		return this.sendTimeout;
	}

	Duration getDedupWindow() {
		return this.dedupWindow;
	}

	void setSendTimeout(Duration sendTimeout) {
		this.sendTimeout = sendTimeout;
	}

	void setDedupWindow(Duration dedupWindow) {
		this.dedupWindow = dedupWindow;
	}

	void setReplicasAck(int replicas, Duration timeout) {
		this.replicasAck = replicas;
		this.replicasAckTimeout = timeout;
	}

	/**
	 * Enqueue a message.
	 * @param message the stamped message
	 * @param raw its envelope
	 * @param explicitId whether the sender chose the id (then it is enqueued once per
	 * deduplication window)
	 * @param delayMillis the delay, or -1 for none
	 * @param deliverAtMillis the absolute due time, or -1 (a {@code deliverAt} message is
	 * not made late by the time the send spends queued)
	 * @return completes with the message id once Redis holds the message
	 */
	CompletableFuture<String> enqueue(DiskerMessage<?> message, byte[] raw, boolean explicitId, long delayMillis,
			long deliverAtMillis) {
		if (!this.queues.connections().isReachable()) {
			return CompletableFuture.failedFuture(new DiskerConnectionException(
					"Cannot send to queue '" + message.queue() + "': the Redis connection is down", null));
		}
		QueueKeys keys = this.queues.keys().queueShard(message.queue(), message.id());
		this.queues.leases().registerQueue(keys);
		CompletableFuture<Long> written;
		if (message.sender() != null && message.timeout() != null) {
			// the queue and the sender live in different hash slots (on Cluster, on
			// different nodes): the deadline is written first, so that it exists before
			// any reply, and the message only once it does; a message Redis refuses takes
			// its deadline back
			written = whileBusy(() -> watchReply(message, raw, explicitId)).thenCompose((deadline) -> whileBusy(
					() -> write(keys, raw, message.id(), explicitId, delayMillis, deliverAtMillis))
				.exceptionallyCompose((ex) -> (deadline > 0 && refused(ex)) ? unwatchReply(message, explicitId, ex)
						: CompletableFuture.failedFuture(ex)));
		}
		else {
			written = whileBusy(() -> write(keys, raw, message.id(), explicitId, delayMillis, deliverAtMillis));
		}
		// SEND_ONCE answers 0 for a duplicate; LPUSH (the list length) and DELAY (the due
		// time) never do
		CompletableFuture<Long> accepted = (message.sender() != null && message.timeout() != null)
				? withTimeout(written) : withTimeoutOfOne(written);
		int replicas = this.replicasAck;
		if (replicas > 0) {
			accepted = accepted.thenCompose((result) -> this.queues.connections()
				.waitForReplicas(keys.ready(), replicas, this.replicasAckTimeout)
				.thenApply((acknowledged) -> {
					if (acknowledged < replicas) {
						throw new CompletionException(
								new DiskerReplicationException(message.queue(), message.id(), acknowledged, replicas));
					}
					return result;
				}));
		}
		return accepted.handle((result, ex) -> {
			if (ex != null) {
				Throwable cause = unwrap(ex);
				throw new CompletionException(
						(cause instanceof DiskerReplicationException) ? cause : sendFailure(message.queue(), cause));
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

	private CompletableFuture<Long> write(QueueKeys keys, byte[] raw, String id, boolean explicitId, long delayMillis,
			long deliverAtMillis) {
		if (explicitId) {
			String target = (delayMillis >= 0) ? keys.delayed() : keys.ready();
			return this.queues.scripts()
				.run(DiskerScript.SEND_ONCE, ScriptOutputType.INTEGER, new String[] { keys.key("dedup:" + id), target },
						raw, ScriptRunner.arg(this.dedupWindow.toMillis()), ScriptRunner.arg(delayMillis),
						ScriptRunner.arg(this.queues.keys().dueChannel()), ScriptRunner.arg(keys.id()),
						ScriptRunner.arg(deliverAtMillis));
		}
		if (delayMillis >= 0) {
			return this.queues.scripts()
				.run(DiskerScript.DELAY, ScriptOutputType.INTEGER, new String[] { keys.delayed() }, raw,
						ScriptRunner.arg(delayMillis), ScriptRunner.arg(this.queues.keys().dueChannel()),
						ScriptRunner.arg(keys.id()), ScriptRunner.arg(deliverAtMillis));
		}
		return this.pushes.push(keys.ready(), raw);
	}

	/**
	 * Return whether Redis answered a write with an error: the write did not happen. A
	 * timeout or a broken connection leaves it unknown (the message may still land), and
	 * then the deadline stays, so a message that did land is still watched.
	 * @param ex the failure of the write
	 * @return whether Redis refused the write
	 */
	private static boolean refused(Throwable ex) {
		return unwrap(ex) instanceof RedisCommandExecutionException;
	}

	private CompletableFuture<Long> unwatchReply(DiskerMessage<?> message, boolean explicitId, Throwable refusal) {
		QueueKeys sender = this.queues.keys().sender(Objects.requireNonNull(message.sender()));
		String[] keys = explicitId
				? new String[] { sender.key("timeouts"), sender.key("pending"), sender.key("dedup:" + message.id()) }
				: new String[] { sender.key("timeouts"), sender.key("pending") };
		return this.queues.scripts()
			.<Long>run(DiskerScript.UNWATCH_REPLY, ScriptOutputType.INTEGER, keys, ScriptRunner.arg(message.id()))
			.handle((armed, ex) -> {
				if (ex != null) {
					logger.warn(ex,
							() -> "Could not take back the reply deadline of message " + message.id()
									+ ", which Redis refused to enqueue: sender '" + message.sender()
									+ "' may be told it timed out");
				}
				else if (armed == 0) {
					logger.warn(() -> "Message " + message.id() + " was refused by Redis after its reply deadline "
							+ "had passed: sender '" + message.sender() + "' was told it timed out");
				}
				throw new CompletionException(unwrap(refusal));
			});
	}

	private CompletableFuture<Long> watchReply(DiskerMessage<?> message, byte[] raw, boolean explicitId) {
		String senderName = message.sender();
		Duration timeout = message.timeout();
		if (senderName == null || timeout == null) {
			throw new IllegalStateException("Only a message from a named sender with a timeout is watched");
		}
		QueueKeys sender = this.queues.keys().sender(senderName);
		this.queues.leases().registerQueue(sender);
		String[] keys = explicitId
				? new String[] { sender.key("timeouts"), sender.key("pending"), sender.key("dedup:" + message.id()) }
				: new String[] { sender.key("timeouts"), sender.key("pending") };
		// the sender's keys live in another hash slot than the queue's, so the explicit
		// id
		// gets its own marker there: a duplicate send neither enqueues again nor re-arms
		// the timeout
		return this.queues.scripts()
			.<Long>run(DiskerScript.WATCH_REPLY, ScriptOutputType.INTEGER, keys, ScriptRunner.arg(message.id()), raw,
					ScriptRunner.arg(timeout.toMillis()), ScriptRunner.arg(this.queues.keys().dueChannel()),
					ScriptRunner.arg(sender.id() + ":deadlines"), ScriptRunner.arg(this.dedupWindow.toMillis()));
	}

	/**
	 * Put a reply in a requester's inbox (dropped by Redis if the requester is gone).
	 * @param inbox the requesting instance's inbox
	 * @param raw the reply's envelope
	 * @return completes once Redis handled the reply
	 */
	CompletableFuture<Void> replyToInbox(String inbox, byte[] raw) {
		return withTimeoutOfOne(whileBusy(() -> this.queues.scripts()
			.<Long>run(DiskerScript.REPLY, ScriptOutputType.INTEGER,
					new String[] { this.queues.keys().inboxAlive(inbox), this.queues.keys().inbox(inbox) }, raw)))
			.thenApply((delivered) -> null);
	}

	/**
	 * Put a reply in a named sender's queue, unless its timeout was reported already.
	 * @param received the message answered
	 * @param sender the sender
	 * @param raw the reply's envelope
	 * @return completes once Redis handled the reply
	 */
	CompletableFuture<Void> replyToSender(DiskerMessage<?> received, String sender, byte[] raw) {
		// the first shard of the reply queue shares the sender's hash tag: one script
		QueueKeys replyQueue = this.queues.keys().queue(sender);
		QueueKeys senderKeys = this.queues.keys().sender(sender);
		this.queues.leases().registerQueue(replyQueue);
		return withTimeoutOfOne(whileBusy(() -> this.queues.scripts()
			.<Long>run(DiskerScript.SENDER_REPLY, ScriptOutputType.INTEGER,
					new String[] { senderKeys.key("timeouts"), senderKeys.key("pending"), replyQueue.ready() },
					ScriptRunner.arg(received.id()), raw, ScriptRunner.arg((received.timeout() != null) ? 1 : 0))))
			.thenApply((delivered) -> {
				if (delivered == 0) {
					this.queues.metrics().lateReply();
					logger.debug(() -> "Dropped the reply to message " + received.id()
							+ ": its timeout was already reported to sender '" + sender + "'");
				}
				else {
					this.queues.metrics().sent(sender);
				}
				return null;
			});
	}

	/**
	 * Run a write again while Redis answers it with a busy state (a Cluster failover, a
	 * node loading its data), for up to the send timeout.
	 * @param <T> the type of the write's result
	 * @param write issues the write
	 * @return the write's result
	 */
	private <T> CompletableFuture<T> whileBusy(Supplier<CompletableFuture<T>> write) {
		return BusyRetry.run(write, this.sendTimeout, this.queues.connections().timer());
	}

	/**
	 * Apply the send timeout to a single command: Lettuce's own command timeout does so
	 * when it is not longer (one timer per command instead of two).
	 * @param <T> the type of the command's result
	 * @param future the command's future
	 * @return the future, failing after the send timeout
	 */
	private <T> CompletableFuture<T> withTimeoutOfOne(CompletableFuture<T> future) {
		if (this.queues.connections().timesOutCommandsWithin(this.sendTimeout)) {
			return future;
		}
		return withTimeout(future);
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
		if (ex instanceof TimeoutException || ex instanceof RedisCommandTimeoutException) {
			return new DiskerConnectionException("Sending to queue '" + queue + "' got no answer from Redis within "
					+ this.sendTimeout.toMillis() + " ms", ex);
		}
		return new DiskerConnectionException("Sending to queue '" + queue + "' failed: " + ex.getMessage(), ex);
	}

	static Throwable unwrap(Throwable ex) {
		return (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
	}

}
