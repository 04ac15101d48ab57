package io.disker.queue.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

import io.disker.redis.DiskerKeys;
import io.disker.redis.DiskerScript;
import io.disker.redis.QueueKeys;
import io.disker.redis.QueueKind;
import io.disker.redis.ScriptRunner;
import io.lettuce.core.ScriptOutputType;

/**
 * The queues this instance knows of, kept in step with the registry in Redis that every
 * node reads and writes: a known queue has its dead consumers recovered and its due
 * entries promoted even when none of its consumers runs here. Each instance announces the
 * queues it uses; the registry forgets a queue nobody announced within the retention
 * ({@code disker.queue-registry-retention}), so the cost of an idle instance does not
 * grow with every name ever used.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class KnownQueues {

	private final ScriptRunner scripts;

	private final DiskerKeys keys;

	private final DueScheduler dueScheduler;

	private final ScheduledExecutorService scheduler;

	private final RateLimitedLog errors;

	private final BooleanSupplier running;

	private final Map<String, QueueKeys> queues = new ConcurrentHashMap<>();

	/** The ids of the queues this instance sends to or consumes. */
	private final Set<String> used = ConcurrentHashMap.newKeySet();

	private volatile Duration retention = DEFAULT_RETENTION;

	/** How long a queue nobody announces stays in the registry by default. */
	static final Duration DEFAULT_RETENTION = Duration.ofHours(1);

	KnownQueues(ScriptRunner scripts, DiskerKeys keys, DueScheduler dueScheduler, ScheduledExecutorService scheduler,
			RateLimitedLog errors, BooleanSupplier running) {
		this.scripts = scripts;
		this.keys = keys;
		this.dueScheduler = dueScheduler;
		this.scheduler = scheduler;
		this.errors = errors;
		this.running = running;
	}

	void setRetention(Duration retention) {
		this.retention = retention;
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
	 * Make a queue known here as one this instance uses, and announce it to the registry.
	 * @param queue the queue's keys
	 */
	void register(QueueKeys queue) {
		if (this.used.add(queue.id())) {
			adopt(queue);
			announce(List.of(queue.id()));
		}
	}

	/**
	 * Announce the queues used here, and know exactly the queues of the registry plus
	 * those: a queue only other instances knew, and that nobody announced within the
	 * retention, is forgotten here too.
	 */
	void synchronize() {
		announce(List.copyOf(this.used)).thenAcceptAsync(this::knowOnly, this.scheduler).exceptionally((ex) -> {
			if (this.running.getAsBoolean()) {
				this.errors.warn(ex, () -> "Reading the queue registry failed");
			}
			return null;
		});
	}

	private CompletableFuture<List<byte[]>> announce(List<String> ids) {
		byte[][] args = new byte[ids.size() + 1][];
		args[0] = ScriptRunner.arg(this.retention.toMillis());
		for (int i = 0; i < ids.size(); i++) {
			args[i + 1] = ScriptRunner.arg(ids.get(i));
		}
		return this.scripts.run(DiskerScript.REGISTRY, ScriptOutputType.MULTI,
				new String[] { this.keys.queueRegistry() }, args);
	}

	// on Disker's scheduler, never on the Redis client's thread: adopting plans due sets,
	// and one queue failing must not keep the others unknown
	private void knowOnly(List<byte[]> members) {
		Set<String> registered = new HashSet<>();
		for (byte[] member : members) {
			String id = new String(member, StandardCharsets.UTF_8);
			registered.add(id);
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
		for (QueueKeys queue : this.queues.values()) {
			if (!registered.contains(queue.id()) && !this.used.contains(queue.id())) {
				forget(queue);
			}
		}
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

	private void forget(QueueKeys queue) {
		if (this.queues.remove(queue.id(), queue)) {
			this.dueScheduler.unregister(new DelayedMessages(queue, this.scripts).id());
			if (queue.kind() == QueueKind.SENDER) {
				this.dueScheduler.unregister(new ReplyDeadlines(queue, this.scripts).id());
			}
		}
	}

}
