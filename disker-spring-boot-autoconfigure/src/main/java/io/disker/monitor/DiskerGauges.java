package io.disker.monitor;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import io.disker.queue.support.LeaseManager;
import io.disker.redis.QueueKeys;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Binds Disker's gauges. Queue depths ({@code disker.queue.depth}, tags {@code queue} and
 * {@code state} = ready, delayed, processing, dead) are read from Redis in the background
 * every refresh interval, for every known queue; a scrape only reads the last values,
 * never Redis. Also {@code disker.consumer.leases} (leases held by this instance) and
 * {@code disker.requests.pending} (requests waiting for a reply).
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class DiskerGauges implements MeterBinder, SmartLifecycle {

	private static final List<String> STATES = List.of("ready", "delayed", "processing", "dead");

	private final LeaseManager leases;

	private final QueueInspector inspector;

	private final IntSupplier pendingRequests;

	private final ScheduledExecutorService scheduler;

	private final Duration refreshInterval;

	private final Map<String, QueueDepth> depths = new ConcurrentHashMap<>();

	private volatile @Nullable MeterRegistry registry;

	private volatile @Nullable ScheduledFuture<?> refresh;

	public DiskerGauges(LeaseManager leases, QueueInspector inspector, IntSupplier pendingRequests,
			ScheduledExecutorService scheduler, Duration refreshInterval) {
		this.leases = leases;
		this.inspector = inspector;
		this.pendingRequests = pendingRequests;
		this.scheduler = scheduler;
		this.refreshInterval = refreshInterval;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registry = registry;
		Gauge.builder("disker.consumer.leases", this.leases, LeaseManager::getLocalConsumerCount)
			.description("Consumer leases held by this application instance")
			.register(registry);
		Gauge.builder("disker.requests.pending", this.pendingRequests, IntSupplier::getAsInt)
			.description("Requests waiting for their reply")
			.register(registry);
		this.depths.keySet().forEach(this::registerDepth);
	}

	/**
	 * Read every known queue's depth now (in the background).
	 */
	public void refresh() {
		for (List<QueueKeys> shards : QueueInspector.byLogicalQueue(this.leases.getKnownQueues()).values()) {
			String name = tag(shards.get(0));
			this.inspector.depth(shards).thenAccept((depth) -> {
				if (this.depths.put(name, depth) == null) {
					registerDepth(name);
				}
			});
		}
	}

	/**
	 * Return the last depths read, by queue tag.
	 * @return the depths
	 */
	public Map<String, QueueDepth> getDepths() {
		return Map.copyOf(this.depths);
	}

	private void registerDepth(String queue) {
		MeterRegistry current = this.registry;
		if (current == null) {
			return;
		}
		for (String state : STATES) {
			Gauge.builder("disker.queue.depth", this, (gauges) -> gauges.depth(queue, state))
				.description("Messages in a queue, by state (read in the background)")
				.tag("queue", queue)
				.tag("state", state)
				.register(current);
		}
	}

	private double depth(String queue, String state) {
		QueueDepth depth = this.depths.get(queue);
		return (depth != null) ? depth.get(state) : Double.NaN;
	}

	/**
	 * Return the tag of a queue: its name for user queues, {@code kind:name} for internal
	 * ones.
	 * @param queue the queue's keys
	 * @return the tag
	 */
	static String tag(QueueKeys queue) {
		return queue.displayName();
	}

	@Override
	public void start() {
		long every = Math.max(100, this.refreshInterval.toMillis());
		this.refresh = this.scheduler.scheduleWithFixedDelay(this::refresh, 0, every, TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		ScheduledFuture<?> task = this.refresh;
		if (task != null) {
			task.cancel(false);
		}
		this.refresh = null;
	}

	@Override
	public boolean isRunning() {
		return this.refresh != null;
	}

	@Override
	public int getPhase() {
		return LeaseManager.PHASE;
	}

}
