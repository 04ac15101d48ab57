package io.disker.listener;

import java.time.Duration;
import java.util.List;

import io.disker.queue.support.Delivery;
import io.disker.queue.support.QueueConsumer;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * Hands a stopping container's messages back: puts unstarted messages back at the head of
 * the queue, waits for running handlers up to the shutdown timeout, flushes
 * acknowledgements and releases the lease. When Redis cannot be reached it abandons the
 * lease instead: the messages return to the queue when the lease expires.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class LoopDrain {

	private static final LogAccessor logger = new LogAccessor(LoopDrain.class);

	private final String containerId;

	private final ContainerOptions options;

	private final ListenerSupport support;

	private final MessageBuffer buffer;

	private final HandlerWorkers workers;

	private final LoopState state;

	LoopDrain(String containerId, ContainerOptions options, ListenerSupport support, MessageBuffer buffer,
			HandlerWorkers workers, LoopState state) {
		this.containerId = containerId;
		this.options = options;
		this.support = support;
		this.buffer = buffer;
		this.workers = workers;
		this.state = state;
	}

	void drain() {
		List<Delivery> unstarted = this.buffer.close();
		QueueConsumer current = this.state.consumer();
		long shutdownTimeout = this.options.shutdownTimeout().toMillis();
		try {
			// a loop whose last fetch failed (a thaw, a blip) still hands back while
			// Redis
			// answers: abandoning would leave its lease and messages until the lease
			// expires
			if (current != null && !this.support.queues().connections().isReachable()) {
				this.workers.awaitGone(shutdownTimeout);
				logger.info(() -> "Container '" + this.containerId + "' stopped while Redis is unreachable; "
						+ "its messages return to the queue when its lease expires");
				abandon(current);
				return;
			}
			if (current != null) {
				current.requeue(unstarted);
			}
			if (!this.workers.awaitGone(shutdownTimeout)) {
				logger.warn(() -> "Container '" + this.containerId + "' stopped with " + this.workers.running()
						+ " handler(s) still running after the shutdown timeout of " + shutdownTimeout
						+ " ms; their messages go back to the queue");
				this.workers.interruptAll();
			}
			if (current != null) {
				current.awaitAcknowledgements(Duration.ofSeconds(5));
				current.release();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			abandon(current);
		}
		catch (RuntimeException ex) {
			logger.warn(ex, () -> "Container '" + this.containerId
					+ "' could not hand back its messages; they return to the queue when its lease expires");
			abandon(current);
		}
	}

	private void abandon(@Nullable QueueConsumer current) {
		if (current != null) {
			current.abandon();
		}
	}

}
