package io.disker.queue.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.disker.redis.DedicatedConnection;
import io.disker.redis.DiskerScript;
import io.disker.redis.QueueKeys;
import io.disker.redis.RedisClock;
import io.disker.redis.ScriptRunner;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * Moves messages from the head of a queue into the consumer's processing list: in one
 * script call, without blocking or after waiting for a message to arrive. Every message
 * taken is held until settled, and suspects are kept alone.
 * <p>
 * Runs on the consumer's fetch thread. The messages of a fetch pipelined behind a wait
 * are held on the Redis I/O thread that reads them, while the fetch thread waits for
 * that; while messages come one by one, that I/O thread also issues the next wait and
 * fetch.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class MessageFetcher {

	/** Lease times an idle lease lasts. */
	static final int IDLE_LEASES = 10;

	/**
	 * The longest a chain of waits issued on the Redis I/O thread runs before the
	 * fetching thread takes over: with the longest wait after it, well within the
	 * consumer connection's timeout (the receive timeout and ten seconds).
	 */
	private static final long CHAIN_NANOS = TimeUnit.SECONDS.toNanos(5);

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
	 * @return the messages, oldest first; empty if none arrived in time or another
	 * consumer took them first
	 * @throws LeaseLostException if the lease was revoked
	 */
	List<Delivery> fetchBlocking(int max, Duration timeout) {
		long start = System.nanoTime();
		if (this.trafficSeen && !this.lease.isParked()) {
			return fetchBehindWait(max, timeout, start);
		}
		return waitThenFetch(max, timeout, start);
	}

	/**
	 * Wait and fetch as {@link #fetchBlocking(int, Duration)} does, giving every fetch's
	 * messages to {@code arrivals}. While messages come, the fetch is pipelined behind
	 * the wait and its messages reach {@code arrivals} on the Redis I/O thread that reads
	 * them; while they come one by one (a fetch takes fewer than it could), that thread
	 * issues the next wait and fetch itself, for as many as {@link FetchArrivals#more()}
	 * allows, and this thread sleeps through them. It returns when a wait brings nothing,
	 * a fetch takes all it could or a suspect, {@code more()} answers 0, the wait is cut
	 * short, or after {@link #CHAIN_NANOS}, so that its own wait for the chain stays
	 * within the connection's timeout.
	 * @param max the most the first fetch may take
	 * @param timeout the longest wait
	 * @param arrivals receives the messages of every fetch
	 * @return whether the last fetch emptied the queue (took fewer than it could)
	 * @throws LeaseLostException if the lease was revoked
	 */
	boolean fetchBlocking(int max, Duration timeout, FetchArrivals arrivals) {
		long start = System.nanoTime();
		if (this.trafficSeen && !this.lease.isParked()) {
			return fetchBehindWaits(max, timeout, start, arrivals);
		}
		List<Delivery> taken = List.of();
		try {
			taken = waitThenFetch(max, timeout, start);
		}
		finally {
			arrivals.arrived(taken, max);
		}
		return taken.size() < max;
	}

	private List<Delivery> waitThenFetch(int max, Duration timeout, long start) {
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
	 * @return the messages, oldest first
	 */
	private List<Delivery> fetchBehindWait(int max, Duration timeout, long start) {
		List<Delivery> taken;
		try {
			// the messages are held on the thread that reads them: this thread waits for
			// that stage, so it never sees them half held
			taken = this.connection.awaitThen(this.keys.ready(), timeout,
					(commands) -> ScriptRunner
						.<List<Object>>runAsync(commands, DiskerScript.FETCH, ScriptOutputType.MULTI, fetchKeys(),
								fetchArgs(max, false))
						.thenApply(this::taken));
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

	/**
	 * Wait with the fetch pipelined behind, and further waits and fetches issued by the
	 * thread that reads each fetch, see
	 * {@link #fetchBlocking(int, Duration, FetchArrivals)}.
	 * @param max the most the first fetch may take
	 * @param timeout the longest wait
	 * @param start when the wait started ({@link System#nanoTime()})
	 * @param arrivals receives the messages of every fetch
	 * @return whether the last fetch emptied the queue
	 */
	private boolean fetchBehindWaits(int max, Duration timeout, long start, FetchArrivals arrivals) {
		boolean[] issued = { false };
		ChainEnd end;
		try {
			end = this.connection.awaitThen(this.keys.ready(), timeout, (commands) -> {
				issued[0] = true;
				CompletableFuture<ChainEnd> chainEnd = new CompletableFuture<>();
				fetchThenWaitAgain(new Chain(commands, timeout, start, arrivals, chainEnd), max, start);
				return chainEnd;
			});
		}
		catch (RedisCommandExecutionException ex) {
			throw leaseLostOr(ex);
		}
		finally {
			if (!issued[0]) {
				// nothing was sent (cut short before the wait, or no connection)
				arrivals.arrived(List.of(), max);
			}
		}
		if (end == null) {
			// cut short (pause, stop): every fetch was settled; a message taken by a
			// fetch whose reply was lost is reconciled
			return true;
		}
		if (end.idle()) {
			this.trafficSeen = false;
			parkIfIdle();
		}
		return end.emptied();
	}

	/**
	 * Issue the fetch behind the wait just issued; once it answers, settle it and, while
	 * messages come one by one, issue the next wait and fetch on the thread that read it.
	 * Every fetch is settled exactly once, when its future completes.
	 * @param chain the chain
	 * @param max the most the fetch may take
	 * @param waitStart when the wait ahead of it was issued ({@link System#nanoTime()})
	 */
	private void fetchThenWaitAgain(Chain chain, int max, long waitStart) {
		CompletableFuture<List<Object>> fetched;
		try {
			fetched = ScriptRunner.runAsync(chain.commands(), DiskerScript.FETCH, ScriptOutputType.MULTI, fetchKeys(),
					fetchArgs(max, false));
		}
		catch (RuntimeException ex) {
			chain.arrivals().arrived(List.of(), max);
			chain.end().completeExceptionally(ex);
			return;
		}
		fetched.whenComplete((result, ex) -> {
			if (ex != null) {
				chain.arrivals().arrived(List.of(), max);
				chain.end().completeExceptionally(ex);
				return;
			}
			List<Delivery> taken;
			try {
				taken = taken(result);
			}
			catch (RuntimeException failure) {
				chain.arrivals().arrived(List.of(), max);
				chain.end().completeExceptionally(failure);
				return;
			}
			chain.arrivals().arrived(taken, max);
			try {
				continueChain(chain, taken, max, status(result), waitStart);
			}
			catch (RuntimeException failure) {
				// the fetching thread must not wait out its timeout for a chain that
				// broke
				chain.end().completeExceptionally(failure);
			}
		});
	}

	private void continueChain(Chain chain, List<Delivery> taken, int max, long status, long waitStart) {
		long now = System.nanoTime();
		boolean emptied = taken.size() < max;
		// a suspect, or a queue that still holds messages, goes back to the fetch thread
		int next = (!taken.isEmpty() && emptied && status == 0 && now - chain.start() < CHAIN_NANOS)
				? chain.arrivals().more() : 0;
		if (next <= 0) {
			chain.end().complete(new ChainEnd(emptied, taken.isEmpty() && now - waitStart >= chain.timeoutNanos()));
			return;
		}
		try {
			DedicatedConnection.issueWait(chain.commands(), this.keys.ready(), chain.timeout());
		}
		catch (RuntimeException ex) {
			chain.arrivals().arrived(List.of(), next);
			chain.end().completeExceptionally(ex);
			return;
		}
		fetchThenWaitAgain(chain, next, now);
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

	/**
	 * One blocking fetch whose further waits and fetches are issued by the Redis I/O
	 * thread.
	 *
	 * @param commands the consumer connection's asynchronous commands
	 * @param timeout the longest wait
	 * @param start when the first wait was issued ({@link System#nanoTime()})
	 * @param arrivals receives the messages of every fetch
	 * @param end completed when the chain ends
	 */
	private record Chain(RedisClusterAsyncCommands<String, byte[]> commands, Duration timeout, long start,
			FetchArrivals arrivals, CompletableFuture<ChainEnd> end) {

		long timeoutNanos() {
			return this.timeout.toNanos();
		}

	}

	/**
	 * How a chain of fetches ended.
	 *
	 * @param emptied whether the last fetch took fewer messages than it could
	 * @param idle whether the last wait ran out, bringing nothing
	 */
	private record ChainEnd(boolean emptied, boolean idle) {
	}

}
