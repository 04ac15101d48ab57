package io.disker.listener;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.disker.queue.Delivery;
import org.jspecify.annotations.Nullable;

/**
 * Messages a container took but no handler started yet, in arrival order.
 */
final class MessageBuffer {

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private final ArrayDeque<Delivery> messages = new ArrayDeque<>();

	private boolean closed;

	void addAll(Collection<Delivery> deliveries) {
		if (deliveries.isEmpty()) {
			return;
		}
		this.lock.lock();
		try {
			this.messages.addAll(deliveries);
			this.changed.signalAll();
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
			while (this.messages.isEmpty() && !this.closed) {
				this.changed.await();
			}
			Delivery next = this.messages.poll();
			if (next != null) {
				this.changed.signalAll();
			}
			return next;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Wait until at most {@code size} messages are buffered, or the timeout passes.
	 */
	void awaitAtMost(int size, long timeoutMillis) throws InterruptedException {
		long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
		this.lock.lock();
		try {
			while (this.messages.size() > size && nanos > 0 && !this.closed) {
				nanos = this.changed.awaitNanos(nanos);
			}
		}
		finally {
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
	 */
	List<Delivery> drain() {
		this.lock.lock();
		try {
			List<Delivery> drained = new ArrayList<>(this.messages);
			this.messages.clear();
			this.changed.signalAll();
			return drained;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Close the buffer: waiting handlers return {@code null}. Returns what was still buffered.
	 */
	List<Delivery> close() {
		this.lock.lock();
		try {
			this.closed = true;
			return drain();
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
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

}
