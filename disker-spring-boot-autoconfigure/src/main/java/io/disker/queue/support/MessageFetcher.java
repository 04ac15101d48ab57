package io.disker.queue.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.disker.redis.DiskerScript;
import io.disker.redis.QueueKeys;
import io.disker.redis.RedisClock;
import io.disker.redis.ScriptRunner;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import org.jspecify.annotations.Nullable;

/**
 * Moves messages from the head of a queue into the consumer's processing list: in one
 * script call, without blocking or after waiting for a message to arrive. Every message
 * taken is held until settled, and suspects are kept alone.
 * <p>
 * Runs on the consumer's fetch thread. The messages of a fetch pipelined behind a wait
 * are held on the Redis I/O thread that reads them, while the fetch thread waits for
 * that.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class MessageFetcher {

	/** Lease times an idle lease lasts. */
	static final int IDLE_LEASES = 10;

	private final QueueKeys keys;

	private final RedisClock clock;

	private final ConsumerConnection connection;

	private final HeldMessages held;

	private final LeaseGeneration lease;

	private final SuspectIsolation suspects;

	private final Duration leaseTime;

	/**
	 * Whether messages came since the last whole wait that brought none: then the fetch
	 * is pipelined behind the next wait.
	 */
	private boolean trafficSeen;

	MessageFetcher(QueueKeys keys, RedisClock clock, ConsumerConnection connection, HeldMessages held,
			LeaseGeneration lease, SuspectIsolation suspects, Duration leaseTime) {
		this.keys = keys;
		this.clock = clock;
		this.connection = connection;
		this.held = held;
		this.lease = lease;
		this.suspects = suspects;
		this.leaseTime = leaseTime;
	}

	/**
	 * Take up to {@code max} messages without blocking.
	 * @param max the most to take
	 * @return the messages, oldest first
	 * @throws LeaseLostException if the lease was revoked
	 */
	List<Delivery> fetch(int max) {
		boolean parked = this.lease.isParked();
		List<Object> result = runFetch(max, parked);
		if (parked) {
			// only once Redis answered: until then every fetch asks for the normal lease
			// back. A fetch that ran but whose reply was lost left a normal lease that
			// nobody renews: it expires and its messages are recovered like a dead
			// consumer's, and this consumer then starts again under a new lease
			this.lease.unparked();
		}
		return taken(result);
	}

	private List<Delivery> taken(List<Object> result) {
		String list = this.lease.processingList();
		long now = observeRedisTime(result);
		List<Delivery> deliveries = new ArrayList<>(result.size() - 2);
		addTaken(result, list, now, deliveries);
		this.suspects.fetched(status(result));
		return deliveries;
	}

	/**
	 * Wait up to the timeout for a message to arrive, then take up to {@code max} without
	 * blocking. The wait moves nothing (it watches the head of the queue), so a consumer
	 * that stalls, loses its lease or is cut off while waiting can never leave a message
	 * in a processing list that nobody recovers: every message is taken by the
	 * lease-checked fetch script.
	 * @param max the most to take
	 * @param timeout the longest wait
	 * @param onArrival if not {@code null}, receives the messages as soon as Redis's
	 * reply is read, on the thread that reads it, when the fetch was pipelined behind the
	 * wait; it must not block
	 * @return the messages, oldest first (also those given to {@code onArrival}); empty
	 * if none arrived in time or another consumer took them first
	 * @throws LeaseLostException if the lease was revoked
	 */
	List<Delivery> fetchBlocking(int max, Duration timeout, @Nullable Consumer<List<Delivery>> onArrival) {
		long start = System.nanoTime();
		if (this.trafficSeen && !this.lease.isParked()) {
			return fetchBehindWait(max, timeout, start, onArrival);
		}
		if (!this.connection.awaitMessage(this.keys.ready(), timeout)) {
			if (System.nanoTime() - start >= timeout.toNanos()) {
				// a whole wait passed, not one cut short (pause, stop)
				parkIfIdle();
			}
			return List.of();
		}
		this.trafficSeen = true;
		return fetch(max);
	}

	/**
	 * Wait with the fetch script pipelined behind the wait: Redis runs it as soon as a
	 * message arrives, and a message that comes alone reaches a handler one round trip
	 * sooner. The fetch is as lease-checked as any other. It also runs when the wait
	 * times out (finding nothing): a consumer does this only while messages come, and
	 * waits without it from the first whole wait that brought none.
	 * @param max the most to take
	 * @param timeout the longest wait
	 * @param start when the wait started ({@link System#nanoTime()})
	 * @param onArrival receives the messages on the thread that reads them, or
	 * {@code null}
	 * @return the messages, oldest first
	 */
	private List<Delivery> fetchBehindWait(int max, Duration timeout, long start,
			@Nullable Consumer<List<Delivery>> onArrival) {
		List<Delivery> taken;
		try {
			// the messages are held on the thread that reads them: this thread waits for
			// that stage, so it never sees them half held
			taken = this.connection
				.awaitThen(this.keys.ready(), timeout,
						(commands) -> ScriptRunner.<List<Object>>runAsync(commands, DiskerScript.FETCH,
								ScriptOutputType.MULTI, fetchKeys(), fetchArgs(max, false))
							.thenApply((result) -> arrived(taken(result), onArrival)));
		}
		catch (RedisCommandExecutionException ex) {
			throw leaseLostOr(ex);
		}
		if (taken == null) {
			// cut short (pause, stop): the fetch ran or not; a message it took is
			// reconciled
			return List.of();
		}
		if (taken.isEmpty() && System.nanoTime() - start >= timeout.toNanos()) {
			this.trafficSeen = false;
			parkIfIdle();
		}
		return taken;
	}

	private static List<Delivery> arrived(List<Delivery> taken, @Nullable Consumer<List<Delivery>> onArrival) {
		if (onArrival != null && !taken.isEmpty()) {
			onArrival.accept(taken);
		}
		return taken;
	}

	/**
	 * Park the lease while this consumer holds nothing and its queue stays empty: an idle
	 * lease of {@link #IDLE_LEASES} lease times, refreshed here after a third of that, so
	 * that an idle consumer costs no renewals. The next fetch takes the normal lease back
	 * in the same call. Anything left in the processing list goes back to the queue
	 * first.
	 * @throws LeaseLostException if the lease was revoked meanwhile
	 */
	private void parkIfIdle() {
		long now = RedisClock.monotonicMillis();
		long idleLease = IDLE_LEASES * this.leaseTime.toMillis();
		if (this.lease.acquiredId() == null || !this.held.isEmpty()
				|| (this.lease.isParked() && now - this.lease.parkedAt() < idleLease / 3)) {
			return;
		}
		String consumerId = this.lease.consumerId();
		Long moved = this.connection
			.execute((commands) -> ScriptRunner.runSync(commands, DiskerScript.PARK, ScriptOutputType.INTEGER,
					new String[] { this.lease.processingList(), this.keys.ready(), this.keys.leases() },
					ScriptRunner.arg(consumerId), ScriptRunner.arg(idleLease)));
		if (moved < 0) {
			this.lease.markLost();
			throw new LeaseLostException(consumerId);
		}
		this.lease.parked(now);
	}

	/**
	 * Run the fetch script: it answers Redis time, a {@link SuspectIsolation suspect
	 * status} and the messages it took.
	 * @param max the max
	 * @param takesLease whether to take the normal lease back (after parking)
	 * @return the script's reply
	 */
	private List<Object> runFetch(int max, boolean takesLease) {
		byte[][] args = fetchArgs(max, takesLease);
		try {
			return this.connection.execute((commands) -> ScriptRunner.runSync(commands, DiskerScript.FETCH,
					ScriptOutputType.MULTI, fetchKeys(), args));
		}
		catch (RedisCommandExecutionException ex) {
			throw leaseLostOr(ex);
		}
	}

	private String[] fetchKeys() {
		return new String[] { this.keys.ready(), this.lease.processingList(), this.keys.leases(),
				this.keys.recoveries() };
	}

	private byte[][] fetchArgs(int max, boolean takesLease) {
		String consumerId = this.lease.consumerId();
		return takesLease
				? new byte[][] { ScriptRunner.arg(Math.max(0, max)), ScriptRunner.arg(consumerId),
						ScriptRunner.arg(this.leaseTime.toMillis()) }
				: new byte[][] { ScriptRunner.arg(Math.max(0, max)), ScriptRunner.arg(consumerId) };
	}

	/**
	 * Return the exception to throw for an error of the fetch script: a revoked lease is
	 * marked lost.
	 * @param ex the error
	 * @return {@link LeaseLostException} or the error itself
	 */
	private RuntimeException leaseLostOr(RedisCommandExecutionException ex) {
		if (ex.getMessage() != null && ex.getMessage().contains("DISKER_LEASE_LOST")) {
			this.lease.markLost();
			return new LeaseLostException(this.lease.consumerId());
		}
		return ex;
	}

	private long observeRedisTime(List<Object> result) {
		long now = (Long) result.get(0);
		this.clock.observe(now, RedisClock.monotonicMillis());
		return now;
	}

	private static long status(List<Object> result) {
		return (Long) result.get(1);
	}

	private void addTaken(List<Object> result, String list, long now, List<Delivery> deliveries) {
		for (int i = 2; i < result.size(); i++) {
			deliveries.add(this.held.hold(new Delivery((byte[]) result.get(i), list, now)));
		}
	}

}
