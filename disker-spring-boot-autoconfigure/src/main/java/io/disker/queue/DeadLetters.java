package io.disker.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.disker.core.DeadLetter;
import io.disker.core.DiskerConnectionException;
import io.disker.core.DiskerException;
import io.disker.core.MessageTooLargeException;
import io.disker.core.support.DeadLetterCodec;
import io.disker.core.support.InboundMessage;
import io.disker.core.support.MalformedMessageException;
import io.disker.core.support.MessageCodec;
import io.disker.queue.support.QueueContext;
import io.disker.redis.DiskerScript;
import io.disker.redis.QueueKeys;
import io.lettuce.core.ScriptOutputType;
import tools.jackson.core.JacksonException;

import org.springframework.core.log.LogAccessor;
import org.springframework.util.Assert;

/**
 * Lists, replays and purges the dead-letter lists of queues. Entries are listed newest
 * first; replay takes the oldest first and puts each message back at the head of its
 * queue with its attempts reset (and no deadline), so it runs again right away.
 * <pre class="code">
 * deadLetters.list("orders", 0, 20).forEach((entry) -&gt; log.info("{}: {}", entry.reason(), entry.errorMessage()));
 * deadLetters.replayAll("orders");   // after fixing the handler
 * </pre>
 *
 * @author Disker team
 * @since 0.1.0
 */
public class DeadLetters {

	private static final LogAccessor logger = new LogAccessor(DeadLetters.class);

	private static final long TIMEOUT_SECONDS = 30;

	private final QueueContext queues;

	private final MessageCodec codec;

	private final DeadLetterCodec entries;

	public DeadLetters(QueueContext queues, MessageCodec codec, DeadLetterCodec entries) {
		this.queues = queues;
		this.codec = codec;
		this.entries = entries;
	}

	/**
	 * Return how many entries a queue's dead-letter list holds.
	 * @param queue the queue
	 * @return the count
	 */
	public long count(String queue) {
		return await(this.queues.connections().async().llen(keys(queue).dead()));
	}

	/**
	 * List entries of a queue's dead-letter list, newest first.
	 * @param queue the queue
	 * @param offset how many of the newest to skip
	 * @param limit the most to return
	 * @return the entries
	 */
	public List<DeadLetter> list(String queue, long offset, int limit) {
		Assert.isTrue(offset >= 0, "'offset' must not be negative");
		Assert.isTrue(limit > 0, "'limit' must be positive");
		List<byte[]> raw = await(
				this.queues.connections().async().lrange(keys(queue).dead(), offset, offset + limit - 1));
		List<DeadLetter> result = new ArrayList<>(raw.size());
		for (byte[] entry : raw) {
			result.add(decode(queue, entry));
		}
		return result;
	}

	/**
	 * Replay the oldest entries of a queue's dead-letter list.
	 * @param queue the queue
	 * @param count the most to replay
	 * @return how many were replayed
	 */
	public long replay(String queue, long count) {
		Assert.isTrue(count > 0, "'count' must be positive");
		QueueKeys keys = keys(queue);
		List<byte[]> oldest = await(this.queues.connections().async().lrange(keys.dead(), -count, -1));
		// the list holds newest first: replaying in that order leaves the oldest at the
		// head
		long replayed = replayEntries(keys, oldest);
		if (replayed > 0) {
			logger.info(() -> "Replayed dead-lettered message(s) of queue '" + queue + "'");
		}
		return replayed;
	}

	/**
	 * Replay every entry of a queue's dead-letter list.
	 * @param queue the queue
	 * @return how many were replayed
	 */
	public long replayAll(String queue) {
		long total = 0;
		long replayed;
		do {
			replayed = replay(queue, 1000);
			total += replayed;
		}
		while (replayed == 1000);
		return total;
	}

	/**
	 * Replay the entry of one message.
	 * @param queue the queue
	 * @param messageId the message id
	 * @return whether an entry of that message was found and replayed
	 */
	public boolean replay(String queue, String messageId) {
		Assert.hasText(messageId, "'messageId' must not be empty");
		QueueKeys keys = keys(queue);
		List<byte[]> all = await(this.queues.connections().async().lrange(keys.dead(), 0, -1));
		for (byte[] entry : all) {
			if (messageId.equals(decode(queue, entry).messageId())) {
				return replayEntries(keys, List.of(entry)) == 1;
			}
		}
		return false;
	}

	/**
	 * Remove every entry of a queue's dead-letter list.
	 * @param queue the queue
	 * @return how many were removed
	 */
	public long purge(String queue) {
		Long removed = await(
				this.queues.scripts().<Long>run(DiskerScript.PURGE, ScriptOutputType.INTEGER, keys(queue).dead()));
		logger.info(() -> "Purged " + removed + " dead-letter entries of queue '" + queue + "'");
		return removed;
	}

	private long replayEntries(QueueKeys keys, List<byte[]> entries) {
		if (entries.isEmpty()) {
			return 0;
		}
		this.queues.leases().registerQueue(keys);
		byte[][] pairs = new byte[entries.size() * 2][];
		for (int i = 0; i < entries.size(); i++) {
			byte[] entry = entries.get(i);
			pairs[2 * i] = entry;
			pairs[2 * i + 1] = freshAttempt(decode(keys.name(), entry).raw());
		}
		Long replayed = await(this.queues.scripts()
			.<Long>run(DiskerScript.REPLAY, ScriptOutputType.INTEGER, new String[] { keys.dead(), keys.ready() },
					pairs));
		return replayed;
	}

	private byte[] freshAttempt(byte[] raw) {
		try {
			InboundMessage inbound = this.codec.decode(raw);
			return this.codec.encode(inbound.message().forReplay());
		}
		catch (MalformedMessageException | MessageTooLargeException ex) {
			// unreadable messages are replayed as they are; they come back if still
			// unreadable
			return raw;
		}
	}

	private DeadLetter decode(String queue, byte[] entry) {
		try {
			return this.entries.decode(queue, entry);
		}
		catch (JacksonException ex) {
			return new DeadLetter(queue, "unreadable-entry", ex.getClass().getName(), ex.getOriginalMessage(), 0,
					java.time.Instant.EPOCH, null, entry);
		}
	}

	private QueueKeys keys(String queue) {
		return this.queues.keys().queue(queue);
	}

	private static <T> T await(Future<T> future) {
		try {
			return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DiskerException("Interrupted while waiting for Redis", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new DiskerConnectionException("Dead-letter operation failed: " + ex.getMessage(), ex);
		}
	}

}
