package io.disker.queue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.disker.observation.DiskerMetricsRecorder;
import io.disker.observation.LoopStatus;
import io.disker.observation.LoopStatusSource;
import io.disker.redis.DedicatedConnection;
import io.disker.redis.DiskerConnections;
import io.disker.redis.DiskerKeys;
import io.disker.redis.DiskerScript;
import io.disker.redis.QueueKeys;
import io.disker.redis.QueueKind;
import io.disker.redis.RedisClock;
import io.disker.redis.ScriptRunner;
import io.lettuce.core.ScriptOutputType;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.log.LogAccessor;

/**
 * Keeps the consumer leases of one application instance and recovers the messages of dead
 * consumers anywhere.
 * <ul>
 * <li>Every third of the lease time it renews the leases of this instance's consumers. The
 * heartbeat does not depend on handler progress: a long handler keeps its message.</li>
 * <li>Every sweep interval it recovers, in every known queue, the processing lists of
 * consumers whose lease expired: they go back to the head of the queue.</li>
 * <li>Every 30 seconds it re-reads the Redis clock.</li>
 * </ul>
 * It starts before the listener containers and stops after them.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class LeaseManager implements SmartLifecycle, LoopStatusSource {

	/**
	 * The lifecycle phase: before listener containers start, after they stop.
	 */
	public static final int PHASE = Integer.MAX_VALUE - 1000;

	private static final LogAccessor logger = new LogAccessor(LeaseManager.class);

	private static final int MAX_CONSUMERS_PER_SWEEP = 100;

	private final DiskerConnections connections;

	private final ScriptRunner scripts;

	private final DiskerKeys keys;

	private final RedisClock clock;

	private final ScheduledExecutorService scheduler;

	private final Duration leaseTime;

	private final Duration sweepInterval;

	private final DiskerMetricsRecorder metrics;

	private final DueScheduler dueScheduler;

	private final RecoveryPolicy recoveryPolicy;

	private final Map<QueueKeys, Set<QueueConsumer>> consumers = new ConcurrentHashMap<>();

	private final Map<String, QueueKeys> queues = new ConcurrentHashMap<>();

	private final List<Runnable> heartbeats = new CopyOnWriteArrayList<>();

	private final AtomicInteger sweeps = new AtomicInteger();

	private final List<ScheduledFuture<?>> tasks = new ArrayList<>();

	private final RateLimitedLog errors = new RateLimitedLog(logger, Duration.ofSeconds(10));

	private final Object renewMonitor = new Object();

	private @Nullable ScheduledExecutorService renewer;

	private @Nullable DedicatedConnection renewConnection;

	private volatile long lastRenewal;

	private volatile long lastSweep;

	private volatile boolean running;

	public LeaseManager(DiskerConnections connections, ScriptRunner scripts, DiskerKeys keys, RedisClock clock,
			ScheduledExecutorService scheduler, DueScheduler dueScheduler, Duration leaseTime, Duration sweepInterval,
			RecoveryPolicy recoveryPolicy, DiskerMetricsRecorder metrics) {
		this.connections = connections;
		this.scripts = scripts;
		this.keys = keys;
		this.clock = clock;
		this.scheduler = scheduler;
		this.leaseTime = leaseTime;
		this.sweepInterval = sweepInterval;
		this.dueScheduler = dueScheduler;
		this.recoveryPolicy = recoveryPolicy;
		this.metrics = metrics;
	}

	/**
	 * Return the lease time.
	 * @return the lease time
	 */
	public Duration getLeaseTime() {
		return this.leaseTime;
	}

	/**
	 * Return when leases were last renewed successfully (monotonic ms, 0 = never).
	 * @return the monotonic time
	 */
	public long getLastRenewal() {
		return this.lastRenewal;
	}

	/**
	 * Return when the last sweep completed (monotonic ms, 0 = never).
	 * @return the monotonic time
	 */
	public long getLastSweep() {
		return this.lastSweep;
	}

	/**
	 * Return the queues this instance knows of (consumed, sent to, or registered by any node).
	 * @return the queues' keys
	 */
	public Set<QueueKeys> getKnownQueues() {
		return Set.copyOf(this.queues.values());
	}

	/**
	 * Add a task run with every lease renewal (e.g. keeping the reply inbox alive).
	 * @param heartbeat the task; it must not block
	 */
	public void addHeartbeat(Runnable heartbeat) {
		this.heartbeats.add(heartbeat);
	}

	/**
	 * Make a queue known, here and to every other node: its dead consumers are recovered and
	 * its due entries promoted even when no consumer of it runs here.
	 * @param queue the queue's keys
	 */
	public void registerQueue(QueueKeys queue) {
		if (adopt(queue)) {
			this.connections.async().sadd(this.keys.queueRegistry(), queue.id().getBytes(StandardCharsets.UTF_8));
		}
	}

	private boolean adopt(QueueKeys queue) {
		if (this.queues.putIfAbsent(queue.id(), queue) != null) {
			return false;
		}
		this.dueScheduler.register(new DelayedMessages(queue, this.scripts));
		if (queue.id().startsWith(QueueKind.SENDER.code() + ":")) {
			this.dueScheduler.register(new ReplyDeadlines(queue, this.scripts));
		}
		return true;
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

	/**
	 * Return how many consumers of this instance hold a lease.
	 * @return the count
	 */
	public int getLocalConsumerCount() {
		return this.consumers.values().stream().mapToInt(Set::size).sum();
	}

	@Override
	public List<LoopStatus> loopStatuses() {
		if (!this.running) {
			return List.of();
		}
		long now = RedisClock.monotonicMillis();
		List<LoopStatus> statuses = new ArrayList<>();
		statuses.add(LoopStatus.judge("lease-sweeper", "lease-sweeper", "running", this.lastSweep, now,
				this.sweepInterval.toMillis() * 3 + 2000, Map.of("queues", this.queues.size())));
		int local = getLocalConsumerCount();
		if (local > 0) {
			statuses.add(LoopStatus.judge("lease-renewal", "lease-renewal", "running", this.lastRenewal, now,
					this.leaseTime.toMillis(), Map.of("consumers", local)));
		}
		return statuses;
	}

	@Override
	public void start() {
		synchronized (this.tasks) {
			if (this.running) {
				return;
			}
			long renewEvery = Math.max(50, this.leaseTime.toMillis() / 3);
			long sweepEvery = Math.max(50, this.sweepInterval.toMillis());
			// Renewal has its own thread and connection: neither busy handlers, a starved scheduler
			// nor a long pipeline of sends and acknowledgements on the shared connection may
			// delay it past the lease time.
			ScheduledExecutorService renewing = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "disker-lease-renewal");
				thread.setDaemon(true);
				return thread;
			});
			this.renewer = renewing;
			renewing.scheduleWithFixedDelay(this::renew, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
			this.tasks.add(this.scheduler.scheduleWithFixedDelay(this::sweep,
					ThreadLocalRandom.current().nextLong(sweepEvery), sweepEvery, TimeUnit.MILLISECONDS));
			this.tasks.add(this.scheduler.scheduleWithFixedDelay(this::synchronizeClock, 30, 30, TimeUnit.SECONDS));
			this.lastSweep = RedisClock.monotonicMillis();
			this.lastRenewal = this.lastSweep;
			this.running = true;
		}
	}

	@Override
	public void stop() {
		synchronized (this.tasks) {
			this.tasks.forEach((task) -> task.cancel(false));
			this.tasks.clear();
			this.running = false;
			ScheduledExecutorService renewing = this.renewer;
			this.renewer = null;
			if (renewing != null) {
				renewing.shutdown();
			}
			closeRenewConnection();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Renew the leases of this instance's consumers now.
	 */
	public void renew() {
		for (Runnable heartbeat : this.heartbeats) {
			runSafely(heartbeat);
		}
		this.consumers.forEach((queue, set) -> {
			if (!set.isEmpty()) {
				renew(queue, List.copyOf(set));
			}
		});
	}

	private void renew(QueueKeys queue, List<QueueConsumer> local) {
		byte[][] args = new byte[local.size() + 1][];
		args[0] = ScriptRunner.arg(this.leaseTime.toMillis());
		for (int i = 0; i < local.size(); i++) {
			args[i + 1] = ScriptRunner.arg(local.get(i).consumerId());
		}
		List<byte[]> lost;
		try {
			synchronized (this.renewMonitor) {
				lost = ScriptRunner.runSync(renewConnection().commands(), DiskerScript.RENEW, ScriptOutputType.MULTI,
						new String[] { queue.leases() }, args);
			}
		}
		catch (RuntimeException ex) {
			// a late or failed renewal is not a lost lease: only a revoked (recovered) or missing
			// lease is, as reported by a renewal that reached Redis
			closeRenewConnection();
			if (this.running) {
				this.errors.warn(ex, () -> "Renewing consumer leases of queue '" + queue.name() + "' failed");
			}
			return;
		}
		this.lastRenewal = RedisClock.monotonicMillis();
		for (byte[] id : lost) {
			String consumerId = new String(id, StandardCharsets.UTF_8);
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

	/**
	 * Recover the messages of expired consumers in every known queue now.
	 */
	public void sweep() {
		if (this.sweeps.getAndIncrement() % 10 == 0) {
			readQueueRegistry();
		}
		List<CompletableFuture<?>> all = new ArrayList<>();
		for (QueueKeys queue : this.queues.values()) {
			all.add(this.scripts.<List<Long>>run(DiskerScript.RECOVER, ScriptOutputType.MULTI,
					new String[] { queue.leases(), queue.ready(), queue.recoveries(), queue.dead() },
					ScriptRunner.arg(queue.procPrefix()), ScriptRunner.arg(MAX_CONSUMERS_PER_SWEEP),
					ScriptRunner.arg(this.leaseTime.toMillis() * 10),
					ScriptRunner.arg(this.recoveryPolicy.maxRecoveries()),
					ScriptRunner.arg(this.recoveryPolicy.deadLetterMaxLength()))
				.whenComplete((result, ex) -> recovered(queue.name(), result, ex)));
		}
		CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]))
			.whenComplete((result, ex) -> {
				if (ex == null) {
					this.lastSweep = RedisClock.monotonicMillis();
				}
			});
	}

	private void recovered(String queue, @Nullable List<Long> result, @Nullable Throwable ex) {
		if (ex != null) {
			if (this.running) {
				this.errors.warn(ex, () -> "Recovering expired consumers of queue '" + queue + "' failed");
			}
			return;
		}
		if (result == null) {
			return;
		}
		long messages = result.get(1);
		long poisoned = result.get(2);
		if (messages > 0) {
			this.metrics.redelivered(queue, messages);
			logger.warn(() -> "Recovered " + messages + " message(s) of dead consumer(s) of queue '" + queue
					+ "'; they go back to the head of the queue");
		}
		if (poisoned > 0) {
			for (long i = 0; i < poisoned; i++) {
				this.metrics.deadLettered(queue, "crash-loop");
			}
			logger.error(() -> poisoned + " message(s) of queue '" + queue + "' were recovered from dead consumers more than "
					+ this.recoveryPolicy.maxRecoveries()
					+ " times and went to the dead-letter list (crash-loop); they seem to kill their consumers");
		}
	}

	private void readQueueRegistry() {
		if (!this.queues.isEmpty()) {
			// re-announce ours, in case Redis lost the registry (restart without persistence)
			byte[][] ids = this.queues.keySet()
				.stream()
				.map((id) -> id.getBytes(StandardCharsets.UTF_8))
				.toArray(byte[][]::new);
			this.connections.async().sadd(this.keys.queueRegistry(), ids);
		}
		// adopt on Disker's scheduler, never on the Redis client's thread: adopting plans due
		// sets, and one queue failing must not keep the others unknown
		this.connections.async().smembers(this.keys.queueRegistry()).toCompletableFuture()
			.thenAcceptAsync((members) -> {
				for (byte[] member : members) {
					String id = new String(member, StandardCharsets.UTF_8);
					try {
						QueueKeys queue = this.keys.forId(id);
						if (queue != null) {
							adopt(queue);
						}
					}
					catch (RuntimeException ex) {
						this.errors.warn(ex, () -> "Could not adopt queue '" + id + "' of the queue registry");
					}
				}
			}, this.scheduler)
			.exceptionally((ex) -> {
				if (this.running) {
					this.errors.warn(ex, () -> "Reading the queue registry failed");
				}
				return null;
			});
	}

	private void synchronizeClock() {
		try {
			this.clock.synchronize();
		}
		catch (RuntimeException ex) {
			this.errors.warn(ex, () -> "Reading the Redis clock failed");
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
