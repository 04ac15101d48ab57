package io.disker.queue.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.disker.observation.DiskerMetricsRecorder;
import io.disker.observation.LoopStatus;
import io.disker.observation.LoopStatusSource;
import io.disker.redis.DiskerConnections;
import io.disker.redis.DiskerKeys;
import io.disker.redis.QueueKeys;
import io.disker.redis.RedisClock;
import io.disker.redis.ScriptRunner;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.log.LogAccessor;

/**
 * Keeps the consumer leases of one application instance and recovers the messages of dead
 * consumers anywhere.
 * <ul>
 * <li>Every third of the lease time it renews the leases of this instance's consumers.
 * The heartbeat does not depend on handler progress: a long handler keeps its
 * message.</li>
 * <li>Every sweep interval it recovers, in every known queue, the processing lists of
 * consumers whose lease expired: they go back to the head of the queue.</li>
 * <li>Every 30 seconds it re-reads the Redis clock.</li>
 * </ul>
 * It starts before the listener containers and stops after them.
 *
 * @author Disker team
 * @since 0.1.0
 * @see LeaseRenewal
 * @see ExpiredLeaseSweeper
 * @see KnownQueues
 */
public final class LeaseManager implements SmartLifecycle, LoopStatusSource {

	/**
	 * The lifecycle phase: before listener containers start, after they stop.
	 */
	public static final int PHASE = Integer.MAX_VALUE - 1000;

	private static final LogAccessor logger = new LogAccessor(LeaseManager.class);

	private final RedisClock clock;

	private final ScheduledExecutorService scheduler;

	private final Duration leaseTime;

	private final Duration sweepInterval;

	/** One rate limit for all of this instance's lease and sweep failures. */
	private final RateLimitedLog errors = new RateLimitedLog(logger, Duration.ofSeconds(10));

	private final KnownQueues queues;

	private final LeaseRenewal renewal;

	private final ExpiredLeaseSweeper sweeper;

	private final List<ScheduledFuture<?>> tasks = new ArrayList<>();

	private volatile boolean running;

	public LeaseManager(DiskerConnections connections, ScriptRunner scripts, DiskerKeys keys, RedisClock clock,
			ScheduledExecutorService scheduler, DueScheduler dueScheduler, Duration leaseTime, Duration sweepInterval,
			RecoveryPolicy recoveryPolicy, DiskerMetricsRecorder metrics) {
		this.clock = clock;
		this.scheduler = scheduler;
		this.leaseTime = leaseTime;
		this.sweepInterval = sweepInterval;
		this.queues = new KnownQueues(scripts, keys, dueScheduler, scheduler, this.errors, this::isRunning);
		this.renewal = new LeaseRenewal(connections, leaseTime, this.errors, this::isRunning);
		this.sweeper = new ExpiredLeaseSweeper(scripts, this.queues, clock, this.renewal::isQuiet, leaseTime,
				recoveryPolicy, metrics, this.errors, this::isRunning);
	}

	/**
	 * Set how long a queue that no instance announces stays in the shared registry of
	 * known queues (default one hour).
	 * @param retention the retention, longer than the sweep interval
	 */
	public void setQueueRegistryRetention(Duration retention) {
		this.queues.setRetention(retention);
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
		return this.renewal.lastRenewal();
	}

	/**
	 * Return when the last sweep completed (monotonic ms, 0 = never).
	 * @return the monotonic time
	 */
	public long getLastSweep() {
		return this.sweeper.lastSweep();
	}

	/**
	 * Return the queues this instance knows of (consumed, sent to, or registered by any
	 * node).
	 * @return the queues' keys
	 */
	public Set<QueueKeys> getKnownQueues() {
		return this.queues.snapshot();
	}

	/**
	 * Add a task run with every lease renewal (e.g. keeping the reply inbox alive).
	 * @param heartbeat the task; it must not block
	 */
	public void addHeartbeat(Runnable heartbeat) {
		this.renewal.addHeartbeat(heartbeat);
	}

	/**
	 * Make a queue known, here and to every other node: its dead consumers are recovered
	 * and its due entries promoted even when no consumer of it runs here.
	 * @param queue the queue's keys
	 */
	public void registerQueue(QueueKeys queue) {
		this.queues.register(queue);
	}

	void register(QueueConsumer consumer) {
		this.renewal.register(consumer);
	}

	void unregister(QueueConsumer consumer) {
		this.renewal.unregister(consumer);
	}

	/**
	 * Return how many consumers of this instance hold a lease.
	 * @return the count
	 */
	public int getLocalConsumerCount() {
		return this.renewal.localConsumerCount();
	}

	@Override
	public List<LoopStatus> loopStatuses() {
		if (!this.running) {
			return List.of();
		}
		long now = RedisClock.monotonicMillis();
		List<LoopStatus> statuses = new ArrayList<>();
		statuses.add(LoopStatus.judge("lease-sweeper", "lease-sweeper", "running", getLastSweep(), now,
				LoopStatus.staleAfterMillis(this.sweepInterval), Map.of("queues", this.queues.size())));
		int local = getLocalConsumerCount();
		if (local > 0) {
			statuses.add(LoopStatus.judge("lease-renewal", "lease-renewal", "running", getLastRenewal(), now,
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
			long sweepEvery = Math.max(50, this.sweepInterval.toMillis());
			this.renewal.start();
			this.tasks.add(this.scheduler.scheduleWithFixedDelay(this::sweep,
					ThreadLocalRandom.current().nextLong(sweepEvery), sweepEvery, TimeUnit.MILLISECONDS));
			this.tasks.add(this.scheduler.scheduleWithFixedDelay(this::synchronizeClock, 30, 30, TimeUnit.SECONDS));
			long now = RedisClock.monotonicMillis();
			this.sweeper.markSwept(now);
			this.renewal.markRenewed(now);
			this.running = true;
		}
	}

	@Override
	public void stop() {
		synchronized (this.tasks) {
			this.tasks.forEach((task) -> task.cancel(false));
			this.tasks.clear();
			this.running = false;
			this.renewal.stop();
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
		this.renewal.renew();
	}

	/**
	 * Recover the messages of expired consumers in every known queue now.
	 */
	public void sweep() {
		this.sweeper.sweep();
	}

	private void synchronizeClock() {
		try {
			this.clock.synchronize();
		}
		catch (RuntimeException ex) {
			this.errors.warn(ex, () -> "Reading the Redis clock failed");
		}
	}

}
