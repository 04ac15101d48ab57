package io.disker.listener;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.disker.queue.support.Delivery;
import org.jspecify.annotations.Nullable;

/**
 * Messages a container took but no handler started yet, in arrival order.
 * <p>
 * Handlers and the fetch thread wait on separate conditions, and each is woken only when
 * there is something for it: a handler when a message arrives, the fetch thread when the
 * buffer shrank to the size it waits for. On a small machine, waking every waiter on
 * every change costs more than the messages themselves.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class MessageBuffer {

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition available = this.lock.newCondition();

	private final Condition shrunk = this.lock.newCondition();

	/** The size the fetch thread waits for, or -1 when it is not waiting. */
	private int awaitedSize = -1;

	private final ArrayDeque<Delivery> messages = new ArrayDeque<>();

	private boolean closed;

	/** While paused, no handler takes a message: the barrier of a container's pause. */
	private boolean paused;

	void addAll(Collection<Delivery> deliveries) {
		if (deliveries.isEmpty()) {
			return;
		}
		this.lock.lock();
		try {
			this.messages.addAll(deliveries);
			for (int i = 0; i < deliveries.size(); i++) {
				// no more handlers woken than there are messages; a signal without
				// waiters is free
				this.available.signal();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Wait for the next message.
	 * @return the message, or {@code null} once the buffer is closed
	 */
	@Nullable Delivery take() throws InterruptedException {
		this.lock.lock();
		try {
			while ((this.messages.isEmpty() || this.paused) && !this.closed) {
				this.available.await();
			}
			Delivery next = this.messages.poll();
			if (next != null && this.messages.size() <= this.awaitedSize) {
				this.shrunk.signal();
			}
			return next;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Wait until at most {@code size} messages are buffered, or the timeout passes. Only
	 * one thread (the fetch thread) waits here.
	 * @param size the size
	 * @param timeoutMillis the timeout millis
	 */
	void awaitAtMost(int size, long timeoutMillis) throws InterruptedException {
		long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
		this.lock.lock();
		try {
			this.awaitedSize = size;
			while (this.messages.size() > size && nanos > 0 && !this.closed) {
				nanos = this.shrunk.awaitNanos(nanos);
			}
		}
		finally {
			this.awaitedSize = -1;
			this.lock.unlock();
		}
	}

	boolean isEmpty() {
		this.lock.lock();
		try {
			return this.messages.isEmpty();
		}
		finally {
			this.lock.unlock();
		}
	}

	int size() {
		this.lock.lock();
		try {
			return this.messages.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Remove every buffered message, oldest first.
	 * @return the messages taken out
	 */
	List<Delivery> drain() {
		this.lock.lock();
		try {
			List<Delivery> drained = new ArrayList<>(this.messages);
			this.messages.clear();
			this.shrunk.signalAll();
			return drained;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Close the buffer: waiting handlers return {@code null}. Returns what was still
	 * buffered.
	 * @return the messages that were still buffered
	 */
	List<Delivery> close() {
		this.lock.lock();
		try {
			this.closed = true;
			this.available.signalAll();
			return drain();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Stop handing messages to handlers: once this returns, {@link #take()} returns no
	 * message until {@link #resume()} (fetched ones wait here for the fetch thread to put
	 * them back).
	 */
	void pause() {
		this.lock.lock();
		try {
			this.paused = true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Hand messages to handlers again.
	 */
	void resume() {
		this.lock.lock();
		try {
			this.paused = false;
			this.available.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Wake every waiter, e.g. to notice a state change.
	 */
	void wake() {
		this.lock.lock();
		try {
			this.available.signalAll();
			this.shrunk.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

}
