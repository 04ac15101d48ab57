package io.disker.requestreply;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.disker.redis.DiskerConnections;
import io.lettuce.core.RedisCommandTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Writes the plain sends to one queue with as few {@code LPUSH} commands as possible
 * (group commit): a send to a list with no push on its way goes out at once; sends that
 * come while one is on its way wait for it and then go out together, as one {@code LPUSH}
 * of all their messages. An application that sends one message at a time sees no delay;
 * one that sends many at once needs a fraction of a command per message, on Redis and on
 * its own I/O threads. Each list keeps its messages in the order they were sent, and a
 * send completes once Redis holds its message, as with one command per send.
 * <p>
 * When a push fails, every send in it fails with the same error. When a push gets no
 * answer in time, the sends waiting behind it fail with it, rather than wait for a
 * timeout of their own after it: the connection is probably lost.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class PushCoalescer {

	/** The most messages written by one push. */
	static final int MAX_BATCH_MESSAGES = 512;

	/** The most bytes of messages written by one push. */
	static final long MAX_BATCH_BYTES = 1024 * 1024;

	private final Supplier<DiskerConnections> connections;

	private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

	PushCoalescer(Supplier<DiskerConnections> connections) {
		this.connections = connections;
	}

	/**
	 * Push a message onto the head of a list.
	 * @param list the list
	 * @param message the message
	 * @return completes with the list's length after the push that wrote it
	 */
	CompletableFuture<Long> push(String list, byte[] message) {
		PendingPush pending = new PendingPush(message, new CompletableFuture<>());
		Lane lane;
		do {
			lane = this.lanes.computeIfAbsent(list, Lane::new);
		}
		while (!lane.offer(pending));
		lane.pushIfIdle();
		return pending.written();
	}

	private static void complete(PendingPush pending, @Nullable Long length, @Nullable Throwable failure) {
		if (failure != null) {
			pending.written().completeExceptionally(MessageWriter.unwrap(failure));
		}
		else {
			pending.written().complete(length);
		}
	}

	private record PendingPush(byte[] message, CompletableFuture<Long> written) {

	}

	/**
	 * The sends to one list: at most one push on its way, the others waiting for it. A
	 * lane that falls idle retires (it leaves the map), so lists no longer sent to cost
	 * nothing.
	 */
	private final class Lane {

		private final String list;

		private final ArrayDeque<PendingPush> waiting = new ArrayDeque<>();

		private boolean pushing;

		private boolean retired;

		Lane(String list) {
			this.list = list;
		}

		synchronized boolean offer(PendingPush pending) {
			if (this.retired) {
				return false;
			}
			this.waiting.add(pending);
			return true;
		}

		void pushIfIdle() {
			for (List<PendingPush> batch = take(); !batch.isEmpty(); batch = take()) {
				CompletableFuture<Long> written = write(batch);
				if (!written.isDone()) {
					List<PendingPush> onItsWay = batch;
					written.whenComplete((length, ex) -> {
						settle(onItsWay, length, ex);
						pushIfIdle();
					});
					return;
				}
				// refused before it went out (no connection): settled in this loop, so
				// that a
				// long backlog fails batch after batch without nesting a call per batch
				List<PendingPush> refused = batch;
				written.handle((length, ex) -> {
					settle(refused, length, ex);
					return null;
				});
			}
		}

		private CompletableFuture<Long> write(List<PendingPush> batch) {
			byte[][] messages = new byte[batch.size()][];
			for (int i = 0; i < messages.length; i++) {
				messages[i] = batch.get(i).message();
			}
			try {
				return PushCoalescer.this.connections.get().async().lpush(this.list, messages).toCompletableFuture();
			}
			catch (RuntimeException ex) {
				return CompletableFuture.failedFuture(ex);
			}
		}

		/**
		 * Take the next batch, unless a push is on its way.
		 * @return the batch, oldest first; empty if there is none to push now
		 */
		private synchronized List<PendingPush> take() {
			if (this.pushing || this.waiting.isEmpty()) {
				return List.of();
			}
			List<PendingPush> batch = new ArrayList<>(Math.min(this.waiting.size(), MAX_BATCH_MESSAGES));
			long bytes = 0;
			while (!this.waiting.isEmpty() && batch.size() < MAX_BATCH_MESSAGES
					&& (batch.isEmpty() || bytes + this.waiting.peek().message().length <= MAX_BATCH_BYTES)) {
				PendingPush next = this.waiting.poll();
				bytes += next.message().length;
				batch.add(next);
			}
			this.pushing = true;
			return batch;
		}

		private void settle(List<PendingPush> batch, @Nullable Long length, @Nullable Throwable failure) {
			List<PendingPush> failedBehind = List.of();
			synchronized (this) {
				this.pushing = false;
				if (failure != null && MessageWriter.unwrap(failure) instanceof RedisCommandTimeoutException) {
					failedBehind = new ArrayList<>(this.waiting);
					this.waiting.clear();
				}
				if (this.waiting.isEmpty()) {
					this.retired = true;
					PushCoalescer.this.lanes.remove(this.list, this);
				}
			}
			for (PendingPush pending : batch) {
				complete(pending, length, failure);
			}
			for (PendingPush pending : failedBehind) {
				complete(pending, length, failure);
			}
		}

	}

}
