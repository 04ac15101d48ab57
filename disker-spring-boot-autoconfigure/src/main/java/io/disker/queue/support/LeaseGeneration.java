package io.disker.queue.support;

import io.disker.redis.QueueKeys;
import org.jspecify.annotations.Nullable;

/**
 * The current lease of one queue consumer. Every start takes a new lease under a new
 * consumer id (the base id and a generation number), so each lease has its own processing
 * list and a revoked lease can never be confused with its successor. A consumer that
 * idles parks its lease: Redis holds it as a long idle lease, which the consumer
 * refreshes itself instead of the renewal, until a fetch takes the normal lease back.
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

	/** When the lease was last parked (monotonic ms), or -1 while it is not. */
	private volatile long parkedAt = -1;

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
	synchronized void next() {
		this.generation++;
		this.acquired = null;
		this.consumerId = this.baseId + "." + this.generation;
		this.lost = false;
		this.parkedAt = -1;
	}

	/**
	 * Record that Redis holds the lease as an idle lease: the renewal leaves it alone.
	 * @param monotonicMillis when it was parked (or parked again)
	 */
	void parked(long monotonicMillis) {
		this.parkedAt = monotonicMillis;
	}

	/**
	 * Record that a fetch took the normal lease back: the renewal renews it again.
	 */
	void unparked() {
		this.parkedAt = -1;
	}

	/**
	 * Return whether the lease is parked.
	 * @return whether the next fetch takes the normal lease back
	 */
	boolean isParked() {
		return this.parkedAt >= 0;
	}

	/**
	 * Return when the lease was last parked.
	 * @return the monotonic time in ms, or -1 while not parked
	 */
	long parkedAt() {
		return this.parkedAt;
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

	/**
	 * Record that the lease of the current id was found revoked (by this consumer's own
	 * fetch thread, which alone moves on to a new lease).
	 */
	synchronized void markLost() {
		this.lost = true;
	}

	/**
	 * Record that Redis found the lease of the given id revoked or missing, unless the
	 * consumer moved on to a new lease meanwhile: a report about an earlier lease, which
	 * arrives on another thread, must not end the lease that replaced it (that lease
	 * would stay in Redis, renewed by nobody, until it expired).
	 * @param consumerId the id whose lease Redis reported lost
	 * @return whether the current lease is now marked lost
	 */
	synchronized boolean markLost(String consumerId) {
		if (!consumerId.equals(this.acquired)) {
			return false;
		}
		this.lost = true;
		return true;
	}

}
