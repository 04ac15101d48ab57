package io.disker.queue.support;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The messages one consumer took and has not settled yet (acknowledged, dead-lettered,
 * scheduled for retry or put back), each with the processing list that holds it. Anything
 * in a processing list that is not held here is an orphan.
 * <p>
 * Each taken copy is held apart, by identity: holding and releasing a message neither
 * hashes nor compares its bytes (a busy consumer does both for every message). Only the
 * periodic orphan reconciliation compares contents, from a {@link #snapshot()}.
 * <p>
 * Thread-safe: the fetch thread adds, handler threads and acknowledgement callbacks
 * remove.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class HeldMessages {

	/** Keyed by the delivery itself: a record whose message bytes compare by identity. */
	private final Set<Delivery> held = ConcurrentHashMap.newKeySet();

	private final Object idleMonitor = new Object();

	Delivery hold(Delivery delivery) {
		this.held.add(delivery);
		return delivery;
	}

	void release(Delivery delivery) {
		this.held.remove(delivery);
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
		Set<ContentKey> keys = new HashSet<>();
		for (Delivery delivery : this.held) {
			keys.add(delivery.contentKey());
		}
		return keys;
	}

	/**
	 * Return whether a message taken into the given processing list is still held.
	 * @param processingList the processing list
	 * @return whether one is
	 */
	boolean holdsFrom(String processingList) {
		for (Delivery delivery : this.held) {
			if (delivery.processingList().equals(processingList)) {
				return true;
			}
		}
		return false;
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
