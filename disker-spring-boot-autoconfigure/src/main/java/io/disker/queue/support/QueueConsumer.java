package io.disker.queue.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.disker.observation.DiskerMetricsRecorder;
import io.disker.redis.DedicatedConnection;
import io.disker.redis.DiskerScript;
import io.disker.redis.QueueKeys;
import io.disker.redis.ScriptRunner;
import io.lettuce.core.ScriptOutputType;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * One consumer of one queue: it holds a lease, moves messages into its own processing
 * list, and removes them when they are acknowledged, dead-lettered or put back.
 * <p>
 * Threading: {@link #start()}, {@link #fetch}, {@link #fetchBlocking},
 * {@link #reconcile()}, {@link #requeue} and {@link #release()} use the consumer's
 * dedicated connection and must be called from one thread (the container's fetch loop).
 * {@link #acknowledge} and {@link #deadLetter} may be called from any thread.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class QueueConsumer {

	private static final LogAccessor logger = new LogAccessor(QueueConsumer.class);

	private final QueueKeys keys;

	private final QueueContext context;

	private final LeaseGeneration lease;

	private final HeldMessages held = new HeldMessages();

	private final ConsumerConnection connection;

	private final OrphanReconciler orphans;

	private final SuspectIsolation suspects;

	private final MessageFetcher fetcher;

	private final MessageSettler settler;

	QueueConsumer(QueueKeys keys, String baseId, QueueContext context, Supplier<DedicatedConnection> connector) {
		this.keys = keys;
		this.context = context;
		this.lease = new LeaseGeneration(keys, baseId);
		this.connection = new ConsumerConnection(connector);
		this.orphans = new OrphanReconciler(this.connection, this.held, this.lease, this::requeue, context.leaseTime());
		this.suspects = new SuspectIsolation(this.held, this.orphans, this.lease);
		this.fetcher = new MessageFetcher(keys, context.clock(), this.connection, this.held, this.lease, this.suspects,
				context.leaseTime());
		this.settler = new MessageSettler(keys, context, this.held);
	}

	/**
	 * Return the queue name.
	 * @return the queue
	 */
	public String queue() {
		return this.keys.displayName();
	}

	/**
	 * Return the queue's keys.
	 * @return the keys
	 */
	public QueueKeys queueKeys() {
		return this.keys;
	}

	/**
	 * Return the id of the current lease holder (changes when a lost lease is replaced).
	 * @return the consumer id
	 */
	public String consumerId() {
		return this.lease.consumerId();
	}

	QueueKeys keys() {
		return this.keys;
	}

	/**
	 * Take a lease under a new consumer id and start renewing it.
	 */
	public void start() {
		if (this.lease.isStarted()) {
			// the previous list may still hold messages nobody handles (a fetch whose
			// reply was lost, a lease that vanished with a Redis restart): reconcile it
			this.orphans.retire(this.lease.processingList());
		}
		this.lease.next();
		this.suspects.reset();
		this.connection.execute((commands) -> ScriptRunner.runSync(commands, DiskerScript.ACQUIRE,
				ScriptOutputType.INTEGER, new String[] { this.keys.leases() },
				ScriptRunner.arg(this.lease.consumerId()), ScriptRunner.arg(this.context.leaseTime().toMillis())));
		this.lease.acquired();
		this.context.leases().register(this);
	}

	/**
	 * Return the id whose lease Redis granted and the renewal renews: {@code null} while
	 * a new lease is being taken, and while the lease is parked (the consumer refreshes
	 * its idle lease itself).
	 * @return the id
	 */
	@Nullable String acquiredConsumerId() {
		return this.lease.isParked() ? null : this.lease.acquiredId();
	}

	/**
	 * Return whether this consumer must not take messages until it holds none: it holds a
	 * suspect (a message recovered from a dead consumer), which must stay alone in its
	 * processing list until acknowledged, or a suspect waits at the head of the queue.
	 * @return whether to wait until idle before fetching
	 */
	public boolean mustAwaitIdle() {
		return this.suspects.mustAwaitIdle();
	}

	/**
	 * Wait until this consumer holds no message, or the timeout passes.
	 * @param timeoutMillis the longest wait
	 */
	public void awaitIdle(long timeoutMillis) throws InterruptedException {
		this.held.awaitIdle(timeoutMillis);
	}

	/**
	 * Wake {@link #awaitIdle(long)} up.
	 */
	public void wakeIdleWaiters() {
		this.held.wakeIdleWaiters();
	}

	/**
	 * Return whether the lease was found revoked; the consumer must {@link #start()}
	 * again.
	 * @return whether the lease is lost
	 */
	public boolean isLeaseLost() {
		return this.lease.isLost();
	}

	/**
	 * Record that Redis reported the lease of the given id revoked or missing.
	 * @param consumerId the id the report is about
	 * @return whether it is the lease this consumer holds, now marked lost
	 */
	boolean leaseLost(String consumerId) {
		return this.lease.markLost(consumerId);
	}

	/**
	 * Forget messages without putting them back (they were put back by other means).
	 * @param unstarted the messages
	 */
	public void forget(Collection<Delivery> unstarted) {
		for (Delivery delivery : unstarted) {
			this.held.release(delivery);
		}
	}

	/**
	 * Take up to {@code max} messages without blocking.
	 * @param max the most to take
	 * @return the messages, oldest first
	 * @throws LeaseLostException if the lease was revoked
	 */
	public List<Delivery> fetch(int max) {
		return this.fetcher.fetch(max);
	}

	/**
	 * Wait up to the timeout for one message, then take up to {@code max - 1} more
	 * without blocking. The wait can be cut short with {@link #unblock()}.
	 * @param max the most to take
	 * @param timeout the longest wait
	 * @return the messages, oldest first; empty if none arrived in time
	 */
	public List<Delivery> fetchBlocking(int max, Duration timeout) {
		return this.fetcher.fetchBlocking(max, timeout);
	}

	/**
	 * Wait up to the timeout for one message, then take up to {@code max - 1} more
	 * without blocking, giving every fetch's messages to {@code arrivals} as soon as they
	 * are read. While messages keep coming, the fetch is pipelined behind the wait, and
	 * its messages reach {@code arrivals} on the Redis I/O thread that reads them: a
	 * listener's handlers start without waiting for the fetch thread to be scheduled.
	 * While they come one by one, that thread also issues the next wait and fetch, for as
	 * many messages as {@link FetchArrivals#more()} allows, and the calling thread sleeps
	 * through them. The wait can be cut short with {@link #unblock()}.
	 * @param max the most the first fetch may take
	 * @param timeout the longest wait
	 * @param arrivals settles every fetch with the messages it took; it must not block
	 * @return whether the last fetch emptied the queue (took fewer than it could)
	 * @throws LeaseLostException if the lease was revoked
	 */
	public boolean fetchBlocking(int max, Duration timeout, FetchArrivals arrivals) {
		return this.fetcher.fetchBlocking(max, timeout, arrivals);
	}

	/**
	 * Return how many acknowledgements are still to reach Redis.
	 * @return the backlog
	 */
	public int acknowledgementBacklog() {
		return this.settler.acknowledgementBacklog();
	}

	/**
	 * Make a blocking fetch in progress return now.
	 */
	public void unblock() {
		try {
			this.connection.unblock();
		}
		catch (RuntimeException ex) {
			logger.debug(ex, "Could not unblock consumer " + consumerId());
		}
	}

	/**
	 * Acknowledge a handled message; it is removed from Redis shortly after (batched).
	 * @param delivery the message
	 */
	public void acknowledge(Delivery delivery) {
		this.settler.acknowledge(delivery);
	}

	/**
	 * Move a held message to the queue's dead-letter list.
	 * @param delivery the message
	 * @param entry the dead-letter entry (JSON)
	 * @param maxLength the cap of the dead-letter list
	 * @return a future that is {@code true} if moved, {@code false} if the message had
	 * been recovered meanwhile (then nothing is written)
	 */
	public CompletableFuture<Boolean> deadLetter(Delivery delivery, byte[] entry, long maxLength) {
		return this.settler.deadLetter(delivery, entry, maxLength);
	}

	/**
	 * Take a failed message out of the processing list and schedule its next attempt.
	 * @param delivery the failed message
	 * @param nextAttempt the message of the next attempt
	 * @param backOffMillis the delay before the next attempt
	 * @return a future that is {@code true} if scheduled, {@code false} if the message
	 * had been recovered meanwhile (another consumer has it; nothing is written)
	 */
	public CompletableFuture<Boolean> retry(Delivery delivery, byte[] nextAttempt, long backOffMillis) {
		return this.settler.retry(delivery, nextAttempt, backOffMillis);
	}

	/**
	 * Put unstarted messages back at the head of the queue, in order.
	 * @param unstarted the messages, oldest first
	 * @return how many went back
	 */
	public long requeue(List<Delivery> unstarted) {
		if (unstarted.isEmpty()) {
			return 0;
		}
		List<byte[]> args = new ArrayList<>(unstarted.size());
		for (Delivery delivery : unstarted) {
			args.add(delivery.raw());
		}
		Long count = this.connection.execute((commands) -> ScriptRunner.runSync(commands, DiskerScript.REQUEUE,
				ScriptOutputType.INTEGER, new String[] { unstarted.get(0).processingList(), this.keys.ready() },
				args.toArray(new byte[0][])));
		forget(unstarted);
		return count;
	}

	/**
	 * Put back messages that sit in the processing list (or in the list of an earlier
	 * lease of this consumer) although this consumer does not know them: a fetch whose
	 * reply was lost to a broken connection, a lease that vanished with a Redis restart.
	 * @return how many went back
	 */
	public long reconcile() {
		return this.orphans.reconcileAll();
	}

	/**
	 * Wait until at most {@code max} acknowledgements are still to reach Redis: a
	 * consumer takes no more messages while its acknowledgements lag further behind its
	 * handlers.
	 * @param max the most acknowledgements still to land
	 * @param timeoutMillis the longest wait
	 * @return whether the backlog is down to {@code max}
	 */
	public boolean awaitAcknowledgementBacklog(int max, long timeoutMillis) throws InterruptedException {
		return this.settler.awaitAcknowledgementBacklog(max, timeoutMillis);
	}

	/**
	 * Wait until every acknowledgement reached Redis.
	 * @param timeout the longest wait
	 * @return whether all did
	 */
	public boolean awaitAcknowledgements(Duration timeout) throws InterruptedException {
		return this.settler.awaitAcknowledgements(timeout.toMillis());
	}

	/**
	 * End the consumer: stop renewing the lease, put back whatever is still held, drop
	 * the lease, close the connection.
	 * @return how many messages went back
	 */
	public long release() {
		this.context.leases().unregister(this);
		try {
			this.orphans.reconcileRetired();
			Long count = this.connection
				.execute((commands) -> ScriptRunner.runSync(commands, DiskerScript.RELEASE, ScriptOutputType.INTEGER,
						new String[] { this.lease.processingList(), this.keys.ready(), this.keys.leases() },
						ScriptRunner.arg(this.lease.consumerId())));
			this.held.clear();
			this.orphans.clear();
			this.held.wakeIdleWaiters();
			return count;
		}
		finally {
			this.connection.close();
		}
	}

	/**
	 * Close the connection without releasing (used when Redis cannot be reached; the
	 * lease expires and another node recovers the messages).
	 */
	public void abandon() {
		this.context.leases().unregister(this);
		this.connection.close();
	}

	/**
	 * Return how many messages this consumer holds (taken and not yet acknowledged).
	 * @return the count
	 */
	public int heldCount() {
		return this.held.size();
	}

	DiskerMetricsRecorder metrics() {
		return this.context.metrics();
	}

}
