package io.disker.boot.test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.disker.redis.DiskerConnections;
import io.disker.redis.DiskerKeys;
import io.disker.redis.QueueKeys;
import io.lettuce.core.ScriptOutputType;

/**
 * Makes delayed messages and scheduled retries of a queue due now: one script moves them
 * from the queue's delayed set to its tail, earliest first, as Disker does when their
 * time comes, so a consumer waiting on the queue takes them at once.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class DelayedMessagesDue {

	// KEYS[1] delayed zset, KEYS[2] ready list; ARGV[1] a message id, or '' for every one
	private static final String SCRIPT = """
			local moved = 0
			for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
			  local take = ARGV[1] == ''
			  if not take then
			    local ok, decoded = pcall(cjson.decode, member)
			    take = ok and type(decoded) == 'table' and decoded['id'] == ARGV[1]
			  end
			  if take then
			    redis.call('ZREM', KEYS[1], member)
			    redis.call('LPUSH', KEYS[2], member)
			    moved = moved + 1
			  end
			end
			return moved
			""";

	private static final long TIMEOUT_SECONDS = 10;

	private final DiskerConnections connections;

	private final DiskerKeys keys;

	DelayedMessagesDue(DiskerConnections connections, DiskerKeys keys) {
		this.connections = connections;
		this.keys = keys;
	}

	long dueNow(String queue, String messageId) {
		QueueKeys queueKeys = this.keys.queue(queue);
		Long moved = await(this.connections.async()
			.<Long>eval(SCRIPT, ScriptOutputType.INTEGER, new String[] { queueKeys.delayed(), queueKeys.ready() },
					messageId.getBytes(StandardCharsets.UTF_8)));
		return moved;
	}

	long count(String queue) {
		return await(this.connections.async().zcard(this.keys.queue(queue).delayed()));
	}

	private static <T> T await(Future<T> future) {
		try {
			return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while talking to Redis", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Redis did not answer: " + ex.getMessage(), ex);
		}
	}

}
