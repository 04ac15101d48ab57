package io.disker.queue.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.disker.core.support.DiskerExecutors;
import io.disker.redis.DedicatedConnection;
import io.disker.redis.DiskerConnections;
import io.disker.redis.DiskerScript;
import io.disker.redis.QueueKeys;
import io.disker.redis.RedisClock;
import io.disker.redis.ScriptRunner;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * Renews the leases of this instance's consumers, and runs the heartbeat tasks, every
 * third of the lease time. Renewal has its own thread and connection: neither busy
 * handlers, a starved scheduler nor a long pipeline of sends and acknowledgements on the
 * shared connection may delay it past the lease time. A renewal that reached Redis tells
 * which consumers lost their lease.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class LeaseRenewal {

	private static final LogAccessor logger = new LogAccessor(LeaseRenewal.class);

	private final DiskerConnections connections;

	private final Duration leaseTime;

	private final RateLimitedLog errors;

	private final BooleanSupplier running;

	private final Map<QueueKeys, Set<QueueConsumer>> consumers = new ConcurrentHashMap<>();

	private final List<Runnable> heartbeats = new CopyOnWriteArrayList<>();

	/** What the last renewal of each queue that found no expired or revoked lease saw. */
	private final Map<QueueKeys, Quiet> quiet = new ConcurrentHashMap<>();

	/** Guards the renewal connection. */
	private final Object renewMonitor = new Object();

	private @Nullable ScheduledExecutorService renewer;

	private @Nullable DedicatedConnection renewConnection;

	private volatile long lastRenewal;

	LeaseRenewal(DiskerConnections connections, Duration leaseTime, RateLimitedLog errors, BooleanSupplier running) {
		this.connections = connections;
		this.leaseTime = leaseTime;
		this.errors = errors;
		this.running = running;
	}

	/**
	 * Return when leases were last renewed successfully (monotonic ms, 0 = never).
	 * @return the monotonic time
	 */
	long lastRenewal() {
		return this.lastRenewal;
	}

	/**
	 * Return whether a recent renewal found no expired or revoked lease in a queue and no
	 * lease expires there yet: then there is nothing to recover in it, and sweeping it
	 * can wait.
	 * @param queue the queue
	 * @param redisNow the estimated Redis time (ms)
	 * @return whether the queue needs no sweep now
	 */
	boolean isQuiet(QueueKeys queue, long redisNow) {
		Quiet last = this.quiet.get(queue);
		return last != null && RedisClock.monotonicMillis() - last.renewedAt() < renewEvery() * 3 / 2
				&& redisNow < last.nextExpiry();
	}

	private long renewEvery() {
		return Math.max(50, this.leaseTime.toMillis() / 3);
	}

	void markRenewed(long monotonicMillis) {
		this.lastRenewal = monotonicMillis;
	}

	void addHeartbeat(Runnable heartbeat) {
		this.heartbeats.add(heartbeat);
	}

	void register(QueueConsumer consumer) {
		this.consumers.computeIfAbsent(consumer.keys(), (k) -> ConcurrentHashMap.newKeySet()).add(consumer);
	}

	void unregister(QueueConsumer consumer) {
		Set<QueueConsumer> set = this.consumers.get(consumer.keys());
		if (set != null) {
			set.remove(consumer);
		}
	}

	int localConsumerCount() {
		return this.consumers.values().stream().mapToInt(Set::size).sum();
	}

	/**
	 * Start renewing on a thread of its own.
	 */
	void start() {
		long renewEvery = renewEvery();
		ScheduledExecutorService renewing = Executors
			.newSingleThreadScheduledExecutor(DiskerExecutors.daemonThreads("disker-lease-renewal-"));
		this.renewer = renewing;
		renewing.scheduleWithFixedDelay(this::renew, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
	}

	void stop() {
		ScheduledExecutorService renewing = this.renewer;
		this.renewer = null;
		if (renewing != null) {
			renewing.shutdown();
		}
		closeRenewConnection();
	}

	/**
	 * Run the heartbeat tasks and renew the leases of this instance's consumers now.
	 */
	void renew() {
		for (Runnable heartbeat : this.heartbeats) {
			runSafely(heartbeat);
		}
		// every queue's renewal is pipelined at once: a queue whose master is down (its
		// renewal waits for the command timeout) delays no other queue's renewal
		Map<QueueKeys, CompletableFuture<List<Object>>> renewals = new LinkedHashMap<>();
		Map<QueueKeys, Map<String, QueueConsumer>> renewed = new LinkedHashMap<>();
		try {
			synchronized (this.renewMonitor) {
				RedisClusterAsyncCommands<String, byte[]> commands = renewConnection().async();
				this.consumers.forEach((queue, set) -> {
					Map<String, QueueConsumer> local = new LinkedHashMap<>();
					for (QueueConsumer consumer : set) {
						String id = consumer.acquiredConsumerId();
						if (id != null) {
							local.put(id, consumer);
						}
					}
					if (!local.isEmpty()) {
						renewed.put(queue, local);
						renewals.put(queue, renew(commands, queue, local.keySet()));
					}
				});
			}
		}
		catch (RuntimeException ex) {
			closeRenewConnection();
			if (this.running.getAsBoolean()) {
				this.errors.warn(ex, () -> "Renewing consumer leases failed");
			}
			return;
		}
		if (renewals.isEmpty()) {
			// every consumer parked its lease (or none runs): nothing is late
			this.lastRenewal = RedisClock.monotonicMillis();
		}
		// settled as each answers, never waited for here: the next renewal is due in a
		// third of the lease, whatever one slow master does
		renewals.forEach((queue, renewal) -> renewal
			.whenComplete((result, ex) -> settle(queue, renewed.get(queue), result, ex)));
	}

	private CompletableFuture<List<Object>> renew(RedisClusterAsyncCommands<String, byte[]> commands, QueueKeys queue,
			Collection<String> consumerIds) {
		byte[][] args = new byte[consumerIds.size() + 1][];
		args[0] = ScriptRunner.arg(this.leaseTime.toMillis());
		int i = 1;
		for (String id : consumerIds) {
			args[i++] = ScriptRunner.arg(id);
		}
		return ScriptRunner.runAsync(commands, DiskerScript.RENEW, ScriptOutputType.MULTI,
				new String[] { queue.leases() }, args);
	}

	private void settle(QueueKeys queue, Map<String, QueueConsumer> local, @Nullable List<Object> result,
			@Nullable Throwable ex) {
		if (ex != null) {
			// a late or failed renewal is not a lost lease: only a revoked (recovered) or
			// missing lease is, as reported by a renewal that reached Redis
			if (this.running.getAsBoolean()) {
				this.errors.warn(ex, () -> "Renewing consumer leases of queue '" + queue.name() + "' failed");
			}
			return;
		}
		if (result == null) {
			return;
		}
		long renewedAt = RedisClock.monotonicMillis();
		this.lastRenewal = renewedAt;
		long nextExpiry = (Long) result.get(1);
		if ((Long) result.get(0) == 0 && nextExpiry > 0) {
			this.quiet.put(queue, new Quiet(renewedAt, nextExpiry));
		}
		else {
			this.quiet.remove(queue);
		}
		for (Object id : result.subList(2, result.size())) {
			String consumerId = new String((byte[]) id, StandardCharsets.UTF_8);
			QueueConsumer consumer = local.get(consumerId);
			// the consumer may have moved on to a new lease meanwhile (its fetch thread
			// found the loss too): only the one it holds can be lost, checked atomically
			if (consumer != null && consumer.leaseLost(consumerId)) {
				logger.warn(() -> "Consumer " + consumerId + " of queue '" + queue.name()
						+ "' lost its lease (it did not renew in time, or Redis lost it); it takes a new one");
			}
		}
	}

	private DedicatedConnection renewConnection() {
		DedicatedConnection current = this.renewConnection;
		if (current != null && !current.isOpen()) {
			closeRenewConnection();
			current = null;
		}
		if (current == null) {
			// bounded: a renewal slower than the lease is useless, the next one retries
			current = this.connections.dedicated(this.leaseTime);
			this.renewConnection = current;
		}
		return current;
	}

	private void closeRenewConnection() {
		synchronized (this.renewMonitor) {
			DedicatedConnection current = this.renewConnection;
			this.renewConnection = null;
			if (current != null) {
				try {
					current.close();
				}
				catch (RuntimeException ex) {
					logger.debug(ex, "Closing the lease renewal connection failed");
				}
			}
		}
	}

	private void runSafely(Runnable task) {
		try {
			task.run();
		}
		catch (RuntimeException ex) {
			this.errors.warn(ex, () -> "Heartbeat task failed");
		}
	}

	/**
	 * A renewal that found no expired or revoked lease.
	 *
	 * @param renewedAt when it answered (monotonic ms)
	 * @param nextExpiry the earliest expiry of a live lease it saw (Redis ms)
	 */
	private record Quiet(long renewedAt, long nextExpiry) {

	}

}
