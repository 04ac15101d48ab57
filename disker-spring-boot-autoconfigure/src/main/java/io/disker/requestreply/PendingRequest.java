package io.disker.requestreply;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

import io.disker.core.DiskerException;
import io.disker.core.RemoteInvocationException;
import io.disker.core.support.InboundMessage;
import io.disker.core.support.MessageCodec;
import io.disker.core.support.RemoteError;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

/**
 * A request waiting for its reply.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class PendingRequest {

	private final String queue;

	private final JavaType replyType;

	private final CompletableFuture<?> future;

	private final long startNanos;

	private volatile @Nullable ScheduledFuture<?> timeoutTask;

	PendingRequest(String queue, JavaType replyType, CompletableFuture<?> future, long startNanos) {
		this.queue = queue;
		this.replyType = replyType;
		this.future = future;
		this.startNanos = startNanos;
	}

	String queue() {
		return this.queue;
	}

	CompletableFuture<?> future() {
		return this.future;
	}

	long elapsedNanos() {
		return System.nanoTime() - this.startNanos;
	}

	void setTimeoutTask(ScheduledFuture<?> task) {
		this.timeoutTask = task;
	}

	void cancelTimeout() {
		ScheduledFuture<?> task = this.timeoutTask;
		if (task != null) {
			task.cancel(false);
		}
	}

	@SuppressWarnings("unchecked")
	void complete(InboundMessage reply, MessageCodec codec) {
		RemoteError error = reply.error();
		if (error != null) {
			fail(new RemoteInvocationException(error.type(), error.message()));
			return;
		}
		try {
			((CompletableFuture<Object>) this.future)
				.complete(codec.convert(reply.message().payload(), this.replyType));
		}
		catch (RuntimeException ex) {
			// whatever a converter throws fails this request only: the thread that
			// completes it goes on with the other replies
			fail(new DiskerException("Reply from queue '" + this.queue + "' does not convert to "
					+ this.replyType.toCanonical() + ": " + ex.getMessage(), ex));
		}
	}

	/**
	 * A second caller waiting for the same request id.
	 * @param <R> the reply type
	 * @param type the type
	 * @param id the id
	 * @return the future of the reply
	 */
	@SuppressWarnings("unchecked")
	<R> CompletableFuture<R> join(JavaType type, String id) {
		if (!this.replyType.equals(type)) {
			return CompletableFuture.failedFuture(new IllegalStateException("A request with id '" + id
					+ "' is already waiting for a reply of type " + this.replyType.toCanonical()));
		}
		return ((CompletableFuture<R>) this.future).thenApply((reply) -> reply);
	}

	void fail(Throwable ex) {
		this.future.completeExceptionally(ex);
	}

}
