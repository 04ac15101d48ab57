package io.disker.queue.support;

/**
 * Keeps suspects alone. A suspect is a message recovered from a dead consumer: it may be
 * what killed it. It is taken only into an empty processing list and with nothing else,
 * so that a consumer that dies holding it pins the blame on it (after too many recoveries
 * it is dead-lettered as a crash loop). While this consumer holds a suspect, or a suspect
 * waits at the head of the queue, it takes nothing until it holds nothing.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class SuspectIsolation {

	/** Fetch status: only ordinary messages were taken. */
	static final long NORMAL = 0;

	/** Fetch status: a suspect was taken alone. */
	static final long TAKEN_ALONE = 1;

	/** Fetch status: a suspect waits at the head until this consumer is idle. */
	static final long WAITING = 2;

	private final HeldMessages held;

	private final OrphanReconciler orphans;

	private final LeaseGeneration lease;

	/** Holding a suspect alone, or a suspect waits while this consumer holds others. */
	private volatile boolean isolating;

	SuspectIsolation(HeldMessages held, OrphanReconciler orphans, LeaseGeneration lease) {
		this.held = held;
		this.orphans = orphans;
		this.lease = lease;
	}

	/**
	 * Forget the isolation of an earlier lease.
	 */
	void reset() {
		this.isolating = false;
	}

	/**
	 * Return whether this consumer must not take messages until it holds none.
	 * @return whether to wait until idle before fetching
	 */
	boolean mustAwaitIdle() {
		if (!this.isolating) {
			return false;
		}
		if (this.held.isEmpty()) {
			this.isolating = false;
			return false;
		}
		return true;
	}

	/**
	 * Take note of the status of a fetch.
	 * @param status {@link #NORMAL}, {@link #TAKEN_ALONE} or {@link #WAITING}
	 */
	void fetched(long status) {
		if (status == NORMAL) {
			return;
		}
		this.isolating = true;
		if (status == WAITING && this.held.isEmpty()) {
			// the processing list holds messages this consumer does not know, so a
			// waiting
			// suspect could never be taken alone: put them back
			this.orphans.reconcile(this.lease.processingList());
		}
	}

}
