package io.disker.queue.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.disker.observation.LoopStatus;
import io.disker.observation.LoopStatusSource;
import io.disker.redis.DiskerConnections;
import io.disker.redis.DiskerKeys;
import io.disker.redis.RedisClock;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.log.LogAccessor;

/**
 * Runs every due-time based feature of Disker with one mechanism: delayed messages and
 * retries, named-sender reply timeouts and timer events all live in Redis sorted sets
 * scored by Redis time, and this scheduler promotes each set when its earliest entry is
 * due.
 * <p>
 * Each set is promoted at the due time it last reported. Scripts that add a new earliest
 * entry announce it on the due channel, so every node re-plans at once; a periodic poll
 * of every set covers a lost announcement. Promotion is atomic in Redis, so several nodes
 * may promote the same set and each entry still moves once. Nothing runs early: the
 * scripts compare with Redis {@code TIME}.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class DueScheduler implements SmartLifecycle, LoopStatusSource {

	private static final LogAccessor logger = new LogAccessor(DueScheduler.class);

	private static final long NEVER = Long.MAX_VALUE;

	private static final long SUBSCRIBE_RETRY_MILLIS = 1000;

	private final DiskerConnections connections;

	private final DiskerKeys keys;

	private final RedisClock clock;

	private final ScheduledExecutorService scheduler;

	private final Duration pollInterval;

	private final Map<String, Entry> sets = new ConcurrentHashMap<>();

	private final RateLimitedLog errors = new RateLimitedLog(logger, Duration.ofSeconds(10));

	private final Object lifecycleMonitor = new Object();

	private volatile @Nullable StatefulRedisPubSubConnection<String, String> subscription;

	private @Nullable ScheduledFuture<?> poll;

	private volatile boolean running;

	private volatile long lastPoll;

	private volatile long lastPromotion;

	public DueScheduler(DiskerConnections connections, DiskerKeys keys, RedisClock clock,
			ScheduledExecutorService scheduler, Duration pollInterval) {
		this.connections = connections;
		this.keys = keys;
		this.clock = clock;
		this.scheduler = scheduler;
		this.pollInterval = pollInterval;
	}

	/**
	 * Start promoting a set (no-op if it is registered already).
	 * @param set the set
	 */
	public void register(DueSet set) {
		Entry entry = this.sets.computeIfAbsent(set.id(), (id) -> new Entry(set));
		if (this.running) {
			plan(entry, 0);
		}
	}

	/**
	 * Stop promoting a set (no-op if it is not registered).
	 * @param setId the set id
	 */
	public void unregister(String setId) {
		Entry entry = this.sets.remove(setId);
		if (entry != null) {
			synchronized (entry) {
				entry.cancel();
			}
		}
	}

	/**
	 * Tell the scheduler that a set has an entry due at the given time.
	 * @param setId the set id
	 * @param dueMillis the due time (Redis ms)
	 */
	public void due(String setId, long dueMillis) {
		Entry entry = this.sets.get(setId);
		if (entry != null) {
			plan(entry, dueMillis);
		}
	}

	/**
	 * Return when the last periodic poll ran (monotonic ms, 0 = never).
	 * @return the time
	 */
	public long getLastPoll() {
		return this.lastPoll;
	}

	@Override
	public List<LoopStatus> loopStatuses() {
		if (!this.running || this.sets.isEmpty()) {
			return List.of();
		}
		return List.of(LoopStatus.judge("due-scheduler", "due-scheduler", "running", this.lastPromotion,
				RedisClock.monotonicMillis(), LoopStatus.staleAfterMillis(this.pollInterval),
				Map.of("sets", this.sets.size())));
	}

	@Override
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.running) {
				return;
			}
			this.running = true;
			this.lastPromotion = RedisClock.monotonicMillis();
			if (this.connections.isReachable()) {
				// at once, so that the first announcements are heard; waits at most the
				// connect wait, once
				subscribe();
			}
			else {
				this.scheduler.execute(this::subscribe);
			}
			long every = Math.max(10, this.pollInterval.toMillis());
			this.poll = this.scheduler.scheduleWithFixedDelay(this::pollAll, 0, every, TimeUnit.MILLISECONDS);
		}
	}

	@Override
	public void stop() {
		synchronized (this.lifecycleMonitor) {
			this.running = false;
			if (this.poll != null) {
				this.poll.cancel(false);
				this.poll = null;
			}
			this.sets.values().forEach(Entry::cancel);
			StatefulRedisPubSubConnection<String, String> connection = this.subscription;
			this.subscription = null;
			if (connection != null && connection.isOpen()) {
				connection.close();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return LeaseManager.PHASE;
	}

	private void subscribe() {
		if (!this.running) {
			return;
		}
		StatefulRedisPubSubConnection<String, String> connection;
		try {
			connection = this.connections.pubSub();
			connection.addListener(new RedisPubSubAdapter<>() {

				@Override
				public void message(String channel, String message) {
					announced(message);
				}

				@Override
				public void subscribed(String channel, long count) {
					// also after a reconnect: announcements made while the subscription
					// was down are lost, so every set is looked at now instead of at the
					// next periodic poll
					DueScheduler.this.scheduler.execute(DueScheduler.this::pollAll);
				}

			});
			connection.async().subscribe(this.keys.dueChannel());
		}
		catch (RuntimeException ex) {
			// The periodic poll still promotes every set; announcements only sharpen
			// timing.
			// Lettuce keeps a subscription across reconnects, so only a failed first
			// attempt
			// (Redis away at start-up) is retried.
			this.errors.warn(ex, () -> "Could not subscribe to due-time announcements; relying on polling until "
					+ "subscribing succeeds");
			long retry = Math.min(this.pollInterval.toMillis(), SUBSCRIBE_RETRY_MILLIS);
			this.scheduler.schedule(this::subscribe, Math.max(10, retry), TimeUnit.MILLISECONDS);
			return;
		}
		synchronized (this.lifecycleMonitor) {
			if (this.running && this.subscription == null) {
				this.subscription = connection;
				return;
			}
		}
		connection.closeAsync();
	}

	private void announced(String message) {
		int space = message.lastIndexOf(' ');
		if (space <= 0) {
			return;
		}
		try {
			due(message.substring(0, space), Long.parseLong(message.substring(space + 1)));
		}
		catch (NumberFormatException ex) {
			logger.debug(() -> "Ignored a malformed due announcement: " + message);
		}
	}

	private void pollAll() {
		for (Entry entry : this.sets.values()) {
			plan(entry, 0);
		}
		this.lastPoll = RedisClock.monotonicMillis();
	}

	private void plan(Entry entry, long dueMillis) {
		if (!this.running) {
			return;
		}
		synchronized (entry) {
			if (entry.promoting) {
				entry.pending = Math.min(entry.pending, dueMillis);
				return;
			}
			if (dueMillis >= entry.plannedFor) {
				return;
			}
			entry.cancel();
			entry.plannedFor = dueMillis;
			// "now" needs no clock reading: plan() also runs on the Redis client's
			// threads
			long delay = (dueMillis <= 0) ? 0 : Math.max(0, dueMillis - this.clock.millis());
			entry.task = this.scheduler.schedule(() -> promote(entry), delay, TimeUnit.MILLISECONDS);
		}
	}

	private void promote(Entry entry) {
		synchronized (entry) {
			entry.plannedFor = NEVER;
			entry.task = null;
			entry.promoting = true;
		}
		CompletableFuture<Long> promoted;
		try {
			promoted = entry.set.promote();
		}
		catch (RuntimeException ex) {
			// a set must answer with a future; one that throws must not stay "promoting"
			// forever
			promoted = CompletableFuture.failedFuture(ex);
		}
		promoted.whenComplete((next, ex) -> {
			long again;
			synchronized (entry) {
				entry.promoting = false;
				again = entry.pending;
				entry.pending = NEVER;
			}
			if (ex != null) {
				if (this.running) {
					this.errors.warn(ex, () -> "Promoting due entries of " + entry.set.id() + " failed");
				}
			}
			else {
				this.lastPromotion = RedisClock.monotonicMillis();
				if (next != null && next >= 0) {
					again = Math.min(again, next);
				}
			}
			if (again != NEVER) {
				plan(entry, again);
			}
		});
	}

	private static final class Entry {

		private final DueSet set;

		private long plannedFor = NEVER;

		private long pending = NEVER;

		private boolean promoting;

		private @Nullable ScheduledFuture<?> task;

		Entry(DueSet set) {
			this.set = set;
		}

		void cancel() {
			if (this.task != null) {
				this.task.cancel(false);
				this.task = null;
			}
			this.plannedFor = NEVER;
		}

	}

}
