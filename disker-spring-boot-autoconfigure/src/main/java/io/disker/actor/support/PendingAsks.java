package io.disker.actor.support;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.disker.actor.ActorMessageRejectedException;
import io.disker.actor.ActorNotFoundException;
import io.disker.core.DiskerException;
import io.disker.core.DiskerTimeoutException;
import io.disker.core.RemoteInvocationException;
import io.disker.core.support.MessageCodec;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

/**
 * The asks of this instance waiting for their reply, by correlation id; each fails with a
 * {@link DiskerTimeoutException} when its timeout elapses first.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class PendingAsks {

	private final Map<String, Pending> pending = new ConcurrentHashMap<>();

	private final MessageCodec codec;

	private final ScheduledExecutorService scheduler;

	private final Executor completions;

	private final AtomicLong timeouts = new AtomicLong();

	private final AtomicLong lateReplies = new AtomicLong();

	PendingAsks(MessageCodec codec, ScheduledExecutorService scheduler, Executor completions) {
		this.codec = codec;
		this.scheduler = scheduler;
		this.completions = completions;
	}

	<R> CompletableFuture<R> register(String correlationId, String actorId, JavaType type, Duration timeout) {
		CompletableFuture<R> future = new CompletableFuture<>();
		Pending entry = new Pending(actorId, type, future);
		this.pending.put(correlationId, entry);
		entry.timeoutTask = this.scheduler.schedule(() -> {
			if (this.pending.remove(correlationId, entry)) {
				this.timeouts.incrementAndGet();
				this.completions.execute(() -> future
					.completeExceptionally(new DiskerTimeoutException("actor " + actorId, correlationId, timeout)));
			}
		}, timeout.toMillis(), TimeUnit.MILLISECONDS);
		return future;
	}

	void fail(String correlationId, Throwable ex) {
		Pending entry = this.pending.remove(correlationId);
		if (entry != null) {
			entry.cancel();
			entry.future.completeExceptionally(ex);
		}
	}

	void complete(ActorWire.Envelope reply) {
		String correlationId = reply.c();
		Pending entry = (correlationId != null) ? this.pending.remove(correlationId) : null;
		if (entry == null) {
			this.lateReplies.incrementAndGet();
			return;
		}
		entry.cancel();
		this.completions.execute(() -> entry.complete(reply, this.codec));
	}

	void failAll(String why) {
		this.pending.keySet().forEach((id) -> fail(id, new DiskerException(why)));
	}

	int size() {
		return this.pending.size();
	}

	long timeouts() {
		return this.timeouts.get();
	}

	long lateReplies() {
		return this.lateReplies.get();
	}

	static RuntimeException remoteFailure(ActorWire.Failure failure) {
		if (ActorNotFoundException.class.getName().equals(failure.type())) {
			return new ActorNotFoundException(failure.message());
		}
		if (ActorMessageRejectedException.class.getName().equals(failure.type())) {
			return new ActorMessageRejectedException(failure.message());
		}
		return new RemoteInvocationException(failure.type(), failure.message());
	}

	private static final class Pending {

		private final String actorId;

		private final JavaType type;

		private final CompletableFuture<Object> future;

		private volatile @Nullable ScheduledFuture<?> timeoutTask;

		@SuppressWarnings("unchecked")
		Pending(String actorId, JavaType type, CompletableFuture<?> future) {
			this.actorId = actorId;
			this.type = type;
			this.future = (CompletableFuture<Object>) future;
		}

		void cancel() {
			ScheduledFuture<?> task = this.timeoutTask;
			if (task != null) {
				task.cancel(false);
			}
		}

		void complete(ActorWire.Envelope reply, MessageCodec codec) {
			ActorWire.Failure failure = reply.e();
			if (failure != null) {
				this.future.completeExceptionally(remoteFailure(failure));
				return;
			}
			try {
				this.future.complete(codec.convert(reply.p(), this.type));
			}
			catch (IllegalArgumentException ex) {
				this.future.completeExceptionally(new DiskerException(
						"The reply of actor " + this.actorId + " does not convert: " + ex.getMessage(), ex));
			}
		}

	}

}
