package io.disker.queue.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

import io.disker.redis.RedisClock;

import org.springframework.core.log.LogAccessor;

/**
 * Puts back the orphans of one consumer: messages that sit in its processing list, or in
 * the list of one of its earlier leases, although the consumer does not hold them. They
 * appear when a fetch took messages but its reply was lost to a broken connection, or
 * when a lease vanished with a Redis restart, and nobody else would ever put them back.
 * <p>
 * Runs on the consumer's fetch thread.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class OrphanReconciler {

	private static final LogAccessor logger = new LogAccessor(OrphanReconciler.class);

	private final ConsumerConnection connection;

	private final HeldMessages held;

	private final LeaseGeneration lease;

	private final ToLongFunction<List<Delivery>> requeue;

	private final long keepRetiredMillis;

	/** Processing lists of earlier leases, with when they were retired (monotonic ms). */
	private final Map<String, Long> retired = new ConcurrentHashMap<>();

	OrphanReconciler(ConsumerConnection connection, HeldMessages held, LeaseGeneration lease,
			ToLongFunction<List<Delivery>> requeue, Duration leaseTime) {
		this.connection = connection;
		this.held = held;
		this.lease = lease;
		this.requeue = requeue;
		// long enough for a fetch re-sent by the client after a reconnect to have landed
		this.keepRetiredMillis = leaseTime.toMillis() * 3;
	}

	/**
	 * Keep reconciling a processing list after its lease was replaced: it may still
	 * receive or hold messages nobody handles.
	 * @param processingList the list of the replaced lease
	 */
	void retire(String processingList) {
		this.retired.putIfAbsent(processingList, RedisClock.monotonicMillis());
	}

	/**
	 * Put back the orphans of the current and the retired processing lists; forget
	 * retired lists that stayed empty long enough.
	 * @return how many went back
	 */
	long reconcileAll() {
		long count = reconcile(this.lease.processingList());
		long now = RedisClock.monotonicMillis();
		for (Map.Entry<String, Long> entry : this.retired.entrySet()) {
			long moved = reconcile(entry.getKey());
			count += moved;
			if (moved == 0 && now - entry.getValue() > this.keepRetiredMillis && !this.held.holdsFrom(entry.getKey())) {
				this.retired.remove(entry.getKey());
			}
		}
		long total = count;
		if (total > 0) {
			logger.info(() -> "Consumer " + this.lease.consumerId() + " put back " + total
					+ " messages it had taken without knowing (lost replies or a lost lease)");
		}
		return total;
	}

	/**
	 * Put back the orphans of the retired processing lists (the current one is released
	 * as a whole) and forget them.
	 */
	void reconcileRetired() {
		for (String list : this.retired.keySet()) {
			reconcile(list);
		}
	}

	void clear() {
		this.retired.clear();
	}

	/**
	 * Put back the orphans of one processing list, oldest first.
	 * @param processingList the list
	 * @return how many went back
	 */
	long reconcile(String processingList) {
		// what was held before listing: a message whose acknowledgement lands meanwhile
		// is gone
		// from the list in Redis but may still be in the listing, and is no orphan.
		// Nothing is
		// taken meanwhile: fetching runs on this thread too.
		Set<ContentKey> heldBefore = this.held.snapshot();
		List<byte[]> listed = this.connection.execute((commands) -> commands.lrange(processingList, 0, -1));
		List<Delivery> orphans = new ArrayList<>();
		for (int i = listed.size() - 1; i >= 0; i--) {
			byte[] raw = listed.get(i);
			if (!heldBefore.contains(new ContentKey(raw))) {
				orphans.add(new Delivery(raw, processingList, 0));
			}
		}
		return this.requeue.applyAsLong(orphans);
	}

}
