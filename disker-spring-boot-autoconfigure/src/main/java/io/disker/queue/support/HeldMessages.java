package io.disker.queue.support;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The messages one consumer took and has not settled yet (acknowledged, dead-lettered,
 * scheduled for retry or put back), each with the processing list that holds it. Anything
 * in a processing list that is not held here is an orphan.
 * <p>
 * Thread-safe: the fetch thread adds, handler threads and acknowledgement callbacks
 * remove.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class HeldMessages {

	private final Map<ContentKey, String> held = new ConcurrentHashMap<>();

	private final Object idleMonitor = new Object();

	Delivery hold(Delivery delivery) {
		this.held.put(delivery.contentKey(), delivery.processingList());
		return delivery;
	}

	void release(Delivery delivery) {
		this.held.remove(delivery.contentKey());
		if (this.held.isEmpty()) {
			wakeIdleWaiters();
		}
	}

	/**
	 * Return the content keys of the messages held now: a copy that messages released
	 * later (their acknowledgement landed) stay in.
	 * @return the content keys of the messages held now: a copy that messages released
	 * later (their acknowledgement landed) stay in
	 */
	Set<ContentKey> snapshot() {
		return new HashSet<>(this.held.keySet());
	}

	boolean contains(byte[] raw) {
		return this.held.containsKey(new ContentKey(raw));
	}

	/**
	 * Return whether a message taken into the given processing list is still held.
	 * @param processingList the processing list
	 * @return whether one is
	 */
	boolean holdsFrom(String processingList) {
		return this.held.containsValue(processingList);
	}

	boolean isEmpty() {
		return this.held.isEmpty();
	}

	int size() {
		return this.held.size();
	}

	void clear() {
		this.held.clear();
	}

	/**
	 * Wait until no message is held, or the timeout passes.
	 * @param timeoutMillis the longest wait
	 */
	void awaitIdle(long timeoutMillis) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
		synchronized (this.idleMonitor) {
			while (!this.held.isEmpty()) {
				long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
				if (left <= 0) {
					return;
				}
				this.idleMonitor.wait(left);
			}
		}
	}

	void wakeIdleWaiters() {
		synchronized (this.idleMonitor) {
			this.idleMonitor.notifyAll();
		}
	}

}
