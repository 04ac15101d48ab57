package io.disker.queue.support;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

import io.disker.redis.DiskerConnections;
import io.disker.redis.DiskerKeys;
import io.disker.redis.QueueKeys;
import io.disker.redis.QueueKind;
import io.disker.redis.ScriptRunner;

/**
 * The queues this instance knows of, kept in step with the registry in Redis that every
 * node reads and writes: a known queue has its dead consumers recovered and its due
 * entries promoted even when none of its consumers runs here.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class KnownQueues {

	private final DiskerConnections connections;

	private final ScriptRunner scripts;

	private final DiskerKeys keys;

	private final DueScheduler dueScheduler;

	private final ScheduledExecutorService scheduler;

	private final RateLimitedLog errors;

	private final BooleanSupplier running;

	private final Map<String, QueueKeys> queues = new ConcurrentHashMap<>();

	KnownQueues(DiskerConnections connections, ScriptRunner scripts, DiskerKeys keys, DueScheduler dueScheduler,
			ScheduledExecutorService scheduler, RateLimitedLog errors, BooleanSupplier running) {
		this.connections = connections;
		this.scripts = scripts;
		this.keys = keys;
		this.dueScheduler = dueScheduler;
		this.scheduler = scheduler;
		this.errors = errors;
		this.running = running;
	}

	Set<QueueKeys> snapshot() {
		return Set.copyOf(this.queues.values());
	}

	Collection<QueueKeys> all() {
		return this.queues.values();
	}

	int size() {
		return this.queues.size();
	}

	/**
	 * Make a queue known here and announce it to the registry.
	 * @param queue the queue's keys
	 */
	void register(QueueKeys queue) {
		if (adopt(queue)) {
			this.connections.async().sadd(this.keys.queueRegistry(), queue.id().getBytes(StandardCharsets.UTF_8));
		}
	}

	/**
	 * Re-announce the queues known here and adopt those other nodes registered.
	 */
	void synchronize() {
		if (!this.queues.isEmpty()) {
			// re-announce ours, in case Redis lost the registry (restart without
			// persistence)
			byte[][] ids = this.queues.keySet()
				.stream()
				.map((id) -> id.getBytes(StandardCharsets.UTF_8))
				.toArray(byte[][]::new);
			this.connections.async().sadd(this.keys.queueRegistry(), ids);
		}
		// adopt on Disker's scheduler, never on the Redis client's thread: adopting plans
		// due
		// sets, and one queue failing must not keep the others unknown
		this.connections.async()
			.smembers(this.keys.queueRegistry())
			.toCompletableFuture()
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
				if (this.running.getAsBoolean()) {
					this.errors.warn(ex, () -> "Reading the queue registry failed");
				}
				return null;
			});
	}

	private boolean adopt(QueueKeys queue) {
		if (this.queues.putIfAbsent(queue.id(), queue) != null) {
			return false;
		}
		this.dueScheduler.register(new DelayedMessages(queue, this.scripts));
		if (queue.kind() == QueueKind.SENDER) {
			this.dueScheduler.register(new ReplyDeadlines(queue, this.scripts));
		}
		return true;
	}

}
