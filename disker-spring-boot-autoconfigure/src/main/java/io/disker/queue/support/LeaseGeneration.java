package io.disker.queue.support;

import io.disker.redis.QueueKeys;
import org.jspecify.annotations.Nullable;

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

	/** The id whose lease Redis granted, {@code null} while a new one is being taken. */
	private volatile @Nullable String acquired;

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
		this.acquired = null;
		this.consumerId = this.baseId + "." + this.generation;
		this.lost = false;
	}

	/**
	 * Record that Redis granted the lease of the current id.
	 */
	void acquired() {
		this.acquired = this.consumerId;
	}

	/**
	 * Return the id whose lease Redis granted: a renewal renews only that one, so that it
	 * never reports as lost a lease it raced ahead of.
	 * @return the id, or {@code null} while a new lease is being taken
	 */
	@Nullable String acquiredId() {
		return this.acquired;
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
