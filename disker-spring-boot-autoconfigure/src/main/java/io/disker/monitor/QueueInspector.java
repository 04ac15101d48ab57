package io.disker.monitor;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.disker.redis.DiskerScript;
import io.disker.redis.QueueKeys;
import io.disker.redis.ScriptRunner;
import io.lettuce.core.ScriptOutputType;

/**
 * Reads queue depths from Redis, one script call per queue. For metrics and the actuator
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
	 * Read a queue's depth.
	 * @param queue the queue's keys
	 * @return the future depth
	 */
	public CompletableFuture<QueueDepth> depth(QueueKeys queue) {
		return this.scripts
			.<List<Long>>run(DiskerScript.DEPTH, ScriptOutputType.MULTI,
					new String[] { queue.ready(), queue.delayed(), queue.dead(), queue.leases() },
					ScriptRunner.arg(queue.procPrefix()))
			.thenApply((r) -> new QueueDepth(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)));
	}

}
