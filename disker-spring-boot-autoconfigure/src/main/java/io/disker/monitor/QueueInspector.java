package io.disker.monitor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

}
