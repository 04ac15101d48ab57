package io.disker.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
		long count = 0;
		for (QueueKeys shard : shards(queue)) {
			count += await(this.queues.connections().async().llen(shard.dead()));
		}
		return count;
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
		List<DeadLetter> result = new ArrayList<>();
		List<QueueKeys> shards = shards(queue);
		for (QueueKeys shard : shards) {
			// a sharded queue's newest entries are the newest of all shards' newest
			long from = (shards.size() == 1) ? offset : 0;
			for (byte[] entry : await(
					this.queues.connections().async().lrange(shard.dead(), from, offset + limit - 1))) {
				result.add(decode(queue, entry));
			}
		}
		if (shards.size() == 1) {
			return result;
		}
		result.sort(Comparator.comparing(DeadLetter::failedAt).reversed());
		return result.subList((int) Math.min(offset, result.size()), (int) Math.min(offset + limit, result.size()));
	}

	/**
	 * Replay the oldest entries of a queue's dead-letter list.
	 * @param queue the queue
	 * @param count the most to replay
	 * @return how many were replayed
	 */
	public long replay(String queue, long count) {
		Assert.isTrue(count > 0, "'count' must be positive");
		List<QueueKeys> shards = shards(queue);
		long replayed;
		if (shards.size() == 1) {
			// the list holds newest first: replaying in that order leaves the oldest at
			// the head
			List<byte[]> oldest = await(this.queues.connections().async().lrange(shards.get(0).dead(), -count, -1));
			replayed = replayEntries(shards.get(0), oldest);
		}
		else {
			replayed = replayOldestOfShards(queue, shards, count);
		}
		if (replayed > 0) {
			logger.info(() -> "Replayed dead-lettered message(s) of queue '" + queue + "'");
		}
		return replayed;
	}

	/**
	 * Replay the oldest entries of all shards of a sharded queue, each shard's in its own
	 * step.
	 * @param queue the queue
	 * @param shards its shards
	 * @param count the most to replay
	 * @return how many were replayed
	 */
	private long replayOldestOfShards(String queue, List<QueueKeys> shards, long count) {
		List<ShardEntry> candidates = new ArrayList<>();
		for (QueueKeys shard : shards) {
			for (byte[] entry : await(this.queues.connections().async().lrange(shard.dead(), -count, -1))) {
				candidates.add(new ShardEntry(shard, entry, decode(queue, entry).failedAt()));
			}
		}
		candidates.sort(Comparator.comparing(ShardEntry::failedAt));
		Map<QueueKeys, List<byte[]>> chosen = new LinkedHashMap<>();
		for (ShardEntry candidate : candidates.subList(0, (int) Math.min(count, candidates.size()))) {
			// within a shard, newest first, as the list holds them
			chosen.computeIfAbsent(candidate.shard(), (shard) -> new ArrayList<>()).add(0, candidate.entry());
		}
		long replayed = 0;
		for (Map.Entry<QueueKeys, List<byte[]>> shard : chosen.entrySet()) {
			replayed += replayEntries(shard.getKey(), shard.getValue());
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
		for (QueueKeys shard : shards(queue)) {
			List<byte[]> all = await(this.queues.connections().async().lrange(shard.dead(), 0, -1));
			for (byte[] entry : all) {
				if (messageId.equals(decode(queue, entry).messageId())) {
					return replayEntries(shard, List.of(entry)) == 1;
				}
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
		long removed = 0;
		for (QueueKeys shard : shards(queue)) {
			removed += await(
					this.queues.scripts().<Long>run(DiskerScript.PURGE, ScriptOutputType.INTEGER, shard.dead()));
		}
		long total = removed;
		logger.info(() -> "Purged " + total + " dead-letter entries of queue '" + queue + "'");
		return total;
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

	private List<QueueKeys> shards(String queue) {
		return this.queues.keys().queueShards(queue);
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

	private record ShardEntry(QueueKeys shard, byte[] entry, Instant failedAt) {

	}

}
