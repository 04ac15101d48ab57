package io.disker.listener;

import java.util.List;
import java.util.concurrent.Semaphore;

import io.disker.queue.support.Delivery;
import io.disker.queue.support.FetchArrivals;
import io.disker.queue.support.QueueConsumer;

/**
 * Puts the messages of a container's blocking fetches into its buffer as they are read,
 * and lets the Redis I/O thread that read them fetch again while messages come one by
 * one: the handlers start without waiting for the fetch thread, and the fetch thread
 * sleeps through sparse traffic.
 * <p>
 * A further fetch runs only while the fetch thread itself could fetch: the container
 * runs, its lease holds, no suspect waits, no fetch interceptor is set (it runs on the
 * fetch thread) and acknowledgements do not lag. It takes the slots that are free at that
 * moment, as many as the handling pace lets the container hold.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class BufferArrivals implements FetchArrivals {

	private final DiskerMessageListenerContainer container;

	private final MessageBuffer buffer;

	private final Semaphore slots;

	private final LoopState state;

	private final HandlingPace pace;

	private final int ackBacklog;

	BufferArrivals(DiskerMessageListenerContainer container, MessageBuffer buffer, Semaphore slots, LoopState state,
			HandlingPace pace, int ackBacklog) {
		this.container = container;
		this.buffer = buffer;
		this.slots = slots;
		this.state = state;
		this.pace = pace;
		this.ackBacklog = ackBacklog;
	}

	@Override
	public void arrived(List<Delivery> messages, int max) {
		// a paused buffer keeps them from the handlers, and the fetch thread puts them
		// back; the slots of what the fetch did not take are free again
		this.buffer.addAll(messages);
		this.slots.release(max - messages.size());
		this.state.touch();
	}

	@Override
	public int more() {
		QueueConsumer current = this.state.consumer();
		if (current == null || this.state.isStopping() || this.state.isPaused() || current.isLeaseLost()
				|| current.mustAwaitIdle() || this.container.getFetchInterceptor() != null
				|| current.acknowledgementBacklog() > this.ackBacklog) {
			return 0;
		}
		int free = this.slots.drainPermits();
		int wanted = this.pace.fetchable(free);
		this.slots.release(free - wanted);
		return wanted;
	}

}
