package io.disker.listener;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.disker.queue.support.Delivery;
import io.disker.queue.support.QueueConsumer;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * The {@code concurrency} handler threads of one running container: each takes messages
 * from the buffer and hands them to the processor, then frees the message's slot. A
 * thread whose handler timed out keeps running it, and a new thread takes its place at
 * once.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class HandlerWorkers {

	private static final LogAccessor logger = new LogAccessor(HandlerWorkers.class);

	private final String containerId;

	private final ContainerOptions options;

	private final DeliveryProcessor processor;

	private final MessageBuffer buffer;

	private final Semaphore slots;

	private final LoopState state;

	private final HandlingPace pace;

	private final Runnable oneTimeHandled;

	/** Threads handling messages, not counting those replaced after a timeout. */
	private final Set<Thread> workers = ConcurrentHashMap.newKeySet();

	private final Object workersMonitor = new Object();

	private @Nullable Executor executor;

	private int activeWorkers;

	/**
	 * Create the workers of a container.
	 * @param oneTimeHandled run when a one-time container handled its message
	 * @param containerId the container id
	 * @param slots the slots
	 * @param state the state
	 * @param options the options
	 * @param processor the processor
	 * @param buffer the buffer
	 * @param pace where handling times go
	 */
	HandlerWorkers(String containerId, ContainerOptions options, DeliveryProcessor processor, MessageBuffer buffer,
			Semaphore slots, LoopState state, HandlingPace pace, Runnable oneTimeHandled) {
		this.containerId = containerId;
		this.options = options;
		this.processor = processor;
		this.buffer = buffer;
		this.slots = slots;
		this.state = state;
		this.pace = pace;
		this.oneTimeHandled = oneTimeHandled;
	}

	void start(Executor executor) {
		this.executor = executor;
		for (int i = 0; i < this.options.concurrency(); i++) {
			startWorker();
		}
	}

	/**
	 * Wait until every handler thread ended.
	 * @param timeoutMillis the longest wait
	 * @return whether all did in time
	 */
	boolean awaitGone(long timeoutMillis) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
		synchronized (this.workersMonitor) {
			while (this.activeWorkers > 0) {
				long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
				if (left <= 0) {
					return false;
				}
				this.workersMonitor.wait(left);
			}
		}
		return true;
	}

	int running() {
		return this.workers.size();
	}

	void interruptAll() {
		this.workers.forEach(Thread::interrupt);
	}

	private void startWorker() {
		Executor current = this.executor;
		if (current == null) {
			return;
		}
		int index;
		synchronized (this.workersMonitor) {
			index = this.activeWorkers++;
		}
		current.execute(() -> work(index));
	}

	private void workerGone() {
		synchronized (this.workersMonitor) {
			this.activeWorkers--;
			this.workersMonitor.notifyAll();
		}
	}

	private void work(int index) {
		Thread.currentThread().setName("disker-" + this.containerId + "-" + index);
		Thread self = Thread.currentThread();
		this.workers.add(self);
		boolean replaced = false;
		try {
			Delivery delivery;
			while (!replaced && !this.state.isOneTimeDone() && (delivery = this.buffer.take()) != null) {
				replaced = handle(delivery);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			if (!replaced) {
				this.workers.remove(self);
				workerGone();
			}
		}
	}

	/**
	 * Handle one delivery; returns whether this thread timed out and was replaced, so
	 * that it must take no more messages.
	 * @param delivery the delivery
	 * @return whether the message was handled
	 */
	private boolean handle(Delivery delivery) {
		QueueConsumer current = this.state.consumer();
		Thread self = Thread.currentThread();
		long start = System.nanoTime();
		try {
			DeliveryProcessor.Outcome outcome = this.processor.process(delivery, current, () -> replace(self));
			this.pace.handled(System.nanoTime() - start);
			if (outcome != DeliveryProcessor.Outcome.SKIPPED && this.options.oneTime()) {
				// a one-time container handles exactly one message: no more is taken or
				// started
				this.state.setOneTimeDone();
				this.oneTimeHandled.run();
			}
			if (outcome == DeliveryProcessor.Outcome.TIMED_OUT) {
				return true;
			}
		}
		catch (RuntimeException | Error ex) {
			// no longer held, so the periodic reconciliation puts it back at the head of
			// the queue
			current.forget(List.of(delivery));
			logger.error(ex, () -> "Unexpected failure handling a message of container '" + this.containerId
					+ "'; the message goes back to the queue");
		}
		this.slots.release();
		return false;
	}

	/**
	 * The timed-out handler keeps its thread; its slot goes to a new thread at once.
	 * @param timedOut the timed out
	 */
	private void replace(Thread timedOut) {
		this.workers.remove(timedOut);
		if (this.options.oneTime()) {
			this.state.setOneTimeDone();
			this.state.setStopping();
		}
		this.slots.release();
		workerGone();
		if (!this.state.isStopping()) {
			startWorker();
		}
	}

}
