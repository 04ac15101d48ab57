package io.disker.queue.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
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

	/**
	 * When a renewal last found no expired or revoked lease in a queue (monotonic ms).
	 */
	private final Map<QueueKeys, Long> quietSince = new ConcurrentHashMap<>();

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
	 * Return whether a recent renewal found no expired or revoked lease in a queue: then
	 * there is nothing to recover in it, and sweeping it can wait for the next renewal.
	 * @param queue the queue
	 * @param now the monotonic time (ms)
	 * @return whether the queue was quiet at its last renewal, no more than a renewal
	 * period ago (with some slack)
	 */
	boolean isQuiet(QueueKeys queue, long now) {
		Long since = this.quietSince.get(queue);
		return since != null && now - since < renewEvery() * 3 / 2;
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
		Map<QueueKeys, List<QueueConsumer>> renewed = new LinkedHashMap<>();
		try {
			synchronized (this.renewMonitor) {
				RedisClusterAsyncCommands<String, byte[]> commands = renewConnection().async();
				this.consumers.forEach((queue, set) -> {
					if (!set.isEmpty()) {
						List<QueueConsumer> local = List.copyOf(set);
						renewed.put(queue, local);
						renewals.put(queue, renew(commands, queue, local));
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
		// settled as each answers, never waited for here: the next renewal is due in a
		// third of the lease, whatever one slow master does
		renewals.forEach((queue, renewal) -> renewal
			.whenComplete((result, ex) -> settle(queue, renewed.get(queue), result, ex)));
	}

	private CompletableFuture<List<Object>> renew(RedisClusterAsyncCommands<String, byte[]> commands, QueueKeys queue,
			List<QueueConsumer> local) {
		byte[][] args = new byte[local.size() + 1][];
		args[0] = ScriptRunner.arg(this.leaseTime.toMillis());
		for (int i = 0; i < local.size(); i++) {
			args[i + 1] = ScriptRunner.arg(local.get(i).consumerId());
		}
		return ScriptRunner.runAsync(commands, DiskerScript.RENEW, ScriptOutputType.MULTI,
				new String[] { queue.leases() }, args);
	}

	private void settle(QueueKeys queue, List<QueueConsumer> local, @Nullable List<Object> result,
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
		if ((Long) result.get(0) == 0) {
			this.quietSince.put(queue, renewedAt);
		}
		else {
			this.quietSince.remove(queue);
		}
		for (Object id : result.subList(1, result.size())) {
			String consumerId = new String((byte[]) id, StandardCharsets.UTF_8);
			for (QueueConsumer consumer : local) {
				if (consumer.consumerId().equals(consumerId)) {
					logger.warn(() -> "Consumer " + consumerId + " of queue '" + queue.name()
							+ "' lost its lease (it did not renew in time, or Redis lost it); it takes a new one");
					consumer.leaseLost();
				}
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

}
