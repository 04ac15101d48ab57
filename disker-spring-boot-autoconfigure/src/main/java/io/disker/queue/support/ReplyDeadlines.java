package io.disker.queue.support;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.disker.redis.DiskerScript;
import io.disker.redis.QueueKeys;
import io.disker.redis.ScriptRunner;
import io.lettuce.core.ScriptOutputType;

/**
 * The reply deadlines of a named sender's messages: when one passes without a reply, the
 * original message moves, once, to the sender's timeout notification queue.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class ReplyDeadlines implements DueSet {

	private static final int BATCH = 1000;

	private final QueueKeys senderKeys;

	private final ScriptRunner scripts;

	ReplyDeadlines(QueueKeys senderKeys, ScriptRunner scripts) {
		this.senderKeys = senderKeys;
		this.scripts = scripts;
	}

	@Override
	public String id() {
		return this.senderKeys.id() + ":deadlines";
	}

	@Override
	public CompletableFuture<Long> promote() {
		return this.scripts
			.<List<Long>>run(DiskerScript.EXPIRE_REPLIES, ScriptOutputType.MULTI,
					new String[] { this.senderKeys.key("timeouts"), this.senderKeys.key("pending"),
							this.senderKeys.ready() },
					ScriptRunner.arg(BATCH))
			.thenApply((result) -> (result.get(0) == BATCH) ? 0L : result.get(1));
	}

}
