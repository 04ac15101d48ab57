package io.disker.queue.support;

import io.disker.redis.QueueKeys;

/**
 * The current lease of one queue consumer. Every start takes a new lease under a new
 * consumer id (the base id and a generation number), so each lease has its own processing
 * list and a revoked lease can never be confused with its successor.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class LeaseGeneration {

	private final QueueKeys keys;

	private final String baseId;

	private int generation;

	private volatile String consumerId;

	private volatile boolean lost;

	LeaseGeneration(QueueKeys keys, String baseId) {
		this.keys = keys;
		this.baseId = baseId;
		this.consumerId = baseId + ".0";
	}

	/**
	 * Return whether a lease was taken before.
	 * @return whether {@link #next()} was called
	 */
	boolean isStarted() {
		return this.generation > 0;
	}

	/**
	 * Move on to a new consumer id, whose lease is not lost.
	 */
	void next() {
		this.generation++;
		this.consumerId = this.baseId + "." + this.generation;
		this.lost = false;
	}

	String consumerId() {
		return this.consumerId;
	}

	String processingList() {
		return this.keys.proc(this.consumerId);
	}

	boolean isLost() {
		return this.lost;
	}

	void markLost() {
		this.lost = true;
	}

}
