package io.disker.queue.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.disker.redis.DiskerScript;
import io.disker.redis.QueueKeys;
import io.disker.redis.RedisClock;
import io.disker.redis.ScriptRunner;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;

/**
 * Moves messages from the head of a queue into the consumer's processing list: in one
 * script call, without blocking or after waiting for a message to arrive. Every message
 * taken is held until settled, and suspects are kept alone.
 * <p>
 * Runs on the consumer's fetch thread.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class MessageFetcher {

	private final QueueKeys keys;

	private final RedisClock clock;

	private final ConsumerConnection connection;

	private final HeldMessages held;

	private final LeaseGeneration lease;

	private final SuspectIsolation suspects;

	MessageFetcher(QueueKeys keys, RedisClock clock, ConsumerConnection connection, HeldMessages held,
			LeaseGeneration lease, SuspectIsolation suspects) {
		this.keys = keys;
		this.clock = clock;
		this.connection = connection;
		this.held = held;
		this.lease = lease;
		this.suspects = suspects;
	}

	/**
	 * Take up to {@code max} messages without blocking.
	 * @param max the most to take
	 * @return the messages, oldest first
	 * @throws LeaseLostException if the lease was revoked
	 */
	List<Delivery> fetch(int max) {
		String list = this.lease.processingList();
		List<Object> result = runFetch(max);
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
		if (!this.connection.awaitMessage(this.keys.ready(), timeout)) {
			return List.of();
		}
		return fetch(max);
	}

	/**
	 * Run the fetch script: it answers Redis time, a {@link SuspectIsolation suspect
	 * status} and the messages it took.
	 * @param max the max
	 * @return the script's reply
	 */
	private List<Object> runFetch(int max) {
		String consumerId = this.lease.consumerId();
		byte[][] args = { ScriptRunner.arg(Math.max(0, max)), ScriptRunner.arg(consumerId) };
		try {
			return this.connection
				.execute(
						(commands) -> ScriptRunner.runSync(
								commands, DiskerScript.FETCH, ScriptOutputType.MULTI, new String[] { this.keys.ready(),
										this.lease.processingList(), this.keys.leases(), this.keys.recoveries() },
								args));
		}
		catch (RedisCommandExecutionException ex) {
			if (ex.getMessage() != null && ex.getMessage().contains("DISKER_LEASE_LOST")) {
				this.lease.markLost();
				throw new LeaseLostException(consumerId);
			}
			throw ex;
		}
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
