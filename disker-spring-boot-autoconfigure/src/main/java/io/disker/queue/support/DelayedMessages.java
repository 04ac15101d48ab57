package io.disker.queue.support;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.disker.redis.DiskerScript;
import io.disker.redis.QueueKeys;
import io.disker.redis.ScriptRunner;
import io.lettuce.core.ScriptOutputType;

/**
 * The delayed messages and scheduled retries of a queue: when due, they move to the tail
 * of the queue.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class DelayedMessages implements DueSet {

	private static final int BATCH = 1000;

	private final QueueKeys keys;

	private final ScriptRunner scripts;

	DelayedMessages(QueueKeys keys, ScriptRunner scripts) {
		this.keys = keys;
		this.scripts = scripts;
	}

	@Override
	public String id() {
		return this.keys.id();
	}

	@Override
	public CompletableFuture<Long> promote() {
		return this.scripts
			.<List<Long>>run(DiskerScript.PROMOTE, ScriptOutputType.MULTI,
					new String[] { this.keys.delayed(), this.keys.ready() }, ScriptRunner.arg(BATCH))
			.thenApply((result) -> (result.get(0) == BATCH) ? 0L : result.get(1));
	}

}
