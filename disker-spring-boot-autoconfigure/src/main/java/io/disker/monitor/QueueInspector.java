package io.disker.monitor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import io.disker.redis.DiskerScript;
import io.disker.redis.QueueKeys;
import io.disker.redis.ScriptRunner;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;

/**
 * Reads queue depths from Redis, two calls per queue. For metrics and the actuator
 * endpoint; never on a hot path, never in health checks.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class QueueInspector {

	private final ScriptRunner scripts;

	public QueueInspector(ScriptRunner scripts) {
		this.scripts = scripts;
	}

	/**
	 * Read a queue's depth: the consumers from the leases, then every count in one
	 * script, with every key it reads passed as a key.
	 * @param queue the queue's keys
	 * @return the future depth
	 */
	public CompletableFuture<QueueDepth> depth(QueueKeys queue) {
		return this.scripts.connections()
			.async()
			.zrangeWithScores(queue.leases(), 0, -1)
			.toCompletableFuture()
			.thenCompose((leases) -> {
				List<String> keys = new ArrayList<>(3 + leases.size());
				keys.add(queue.ready());
				keys.add(queue.delayed());
				keys.add(queue.dead());
				long live = 0;
				for (ScoredValue<byte[]> lease : leases) {
					keys.add(queue.proc(new String(lease.getValue(), StandardCharsets.UTF_8)));
					if (lease.getScore() > 0) {
						live++;
					}
				}
				long consumers = live;
				return this.scripts
					.<List<Long>>run(DiskerScript.DEPTH, ScriptOutputType.MULTI, keys.toArray(new String[0]))
					.thenApply((r) -> new QueueDepth(r.get(0), r.get(1), r.get(2), r.get(3), consumers));
			});
	}

	/**
	 * Read the depth of a queue spread over shards: the sum of its shards' depths.
	 * @param shards the keys of each shard
	 * @return the future depth
	 */
	public CompletableFuture<QueueDepth> depth(List<QueueKeys> shards) {
		if (shards.size() == 1) {
			return depth(shards.get(0));
		}
		CompletableFuture<QueueDepth> sum = CompletableFuture.completedFuture(new QueueDepth(0, 0, 0, 0, 0));
		for (QueueKeys shard : shards) {
			sum = sum.thenCombine(depth(shard), QueueInspector::add);
		}
		return sum;
	}

	private static QueueDepth add(QueueDepth a, QueueDepth b) {
		return new QueueDepth(a.ready() + b.ready(), a.delayed() + b.delayed(), a.processing() + b.processing(),
				a.dead() + b.dead(), a.consumers() + b.consumers());
	}

	/**
	 * Group queue keys by the logical queue they belong to (the shards of a sharded queue
	 * together).
	 * @param queues the keys
	 * @return the shards of each logical queue, by the first shard's keys
	 */
	public static Map<QueueKeys, List<QueueKeys>> byLogicalQueue(Collection<QueueKeys> queues) {
		Map<String, List<QueueKeys>> byId = new TreeMap<>();
		for (QueueKeys queue : queues) {
			byId.computeIfAbsent(queue.logicalId(), (id) -> new ArrayList<>()).add(queue);
		}
		Map<QueueKeys, List<QueueKeys>> result = new LinkedHashMap<>();
		for (List<QueueKeys> shards : byId.values()) {
			shards.sort(Comparator.comparingInt(QueueKeys::shard));
			result.put(shards.get(0), shards);
		}
		return result;
	}

}
