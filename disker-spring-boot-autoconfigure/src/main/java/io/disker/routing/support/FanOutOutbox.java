package io.disker.routing.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.disker.queue.support.QueueContext;
import io.disker.redis.QueueKeys;
import io.lettuce.core.Range;
import io.lettuce.core.api.async.RedisHashAsyncCommands;

/**
 * Fan-out where one script cannot write every target queue (Redis Cluster: each queue
 * lives in its own hash slot). Before any queue is written, the message is recorded in an
 * outbox in the exchange's slot; each queue is then written and struck off the record,
 * and the record is removed once all are written. A sender that dies part-way leaves the
 * record behind, and {@link #completeUnfinished(ExchangeKeys, Duration)} (run
 * periodically by every instance) writes the queues still listed. So every bound queue
 * receives the message at least once, as soon as the send future completed or, after a
 * crash, within a sweep: a queue written just before the crash may receive it twice.
 * <pre>
 * disker:x:{images}:outbox        sorted set: message id scored by record time (ms)
 * disker:x:{images}:outbox:{id}   hash: ready-list key of a queue still to write → message
 * </pre>
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class FanOutOutbox {

	private final QueueContext queues;

	/**
	 * Create an outbox.
	 * @param queues the queue runtime
	 */
	public FanOutOutbox(QueueContext queues) {
		this.queues = queues;
	}

	/**
	 * Record a message, then write it to each target queue, then remove the record.
	 * @param exchange the exchange's keys
	 * @param id the message id
	 * @param targets the target queues
	 * @param envelopes the message as each target queue receives it
	 * @return completes with the number of queues written once all are
	 */
	public CompletableFuture<Long> deliver(ExchangeKeys exchange, String id, List<QueueKeys> targets,
			List<byte[]> envelopes) {
		return record(exchange, id, targets, envelopes).thenCompose((recorded) -> {
			List<String> readyKeys = new ArrayList<>(targets.size());
			for (QueueKeys target : targets) {
				readyKeys.add(target.ready());
			}
			return writeAll(exchange, id, readyKeys, envelopes);
		}).thenApply((done) -> (long) targets.size());
	}

	/**
	 * Record a message in the outbox: the first step of {@link #deliver}, public so that
	 * a test can leave a fan-out unfinished like a sender that died.
	 * @param exchange the exchange's keys
	 * @param id the message id
	 * @param targets the target queues
	 * @param envelopes the message as each target queue receives it
	 * @return completes once Redis holds the record
	 */
	public CompletableFuture<Void> record(ExchangeKeys exchange, String id, List<QueueKeys> targets,
			List<byte[]> envelopes) {
		// the index first: an index entry without its record is merely dropped by a sweep
		CompletableFuture<Long> indexed = this.queues.connections()
			.async()
			.zadd(index(exchange), this.queues.clock().millis(), id.getBytes(StandardCharsets.UTF_8))
			.toCompletableFuture();
		RedisHashAsyncCommands<String, byte[]> hashes = this.queues.connections().async();
		CompletableFuture<?>[] fields = new CompletableFuture<?>[targets.size()];
		for (int i = 0; i < targets.size(); i++) {
			fields[i] = hashes.hset(record(exchange, id), targets.get(i).ready(), envelopes.get(i))
				.toCompletableFuture();
		}
		return indexed.thenCompose((ignored) -> CompletableFuture.allOf(fields));
	}

	/**
	 * Complete the fan-outs recorded longer ago than {@code olderThan}: write every queue
	 * their record still lists, then remove the record.
	 * @param exchange the exchange's keys
	 * @param olderThan how old a record must be (a younger one may belong to a send in
	 * progress)
	 * @return completes with the number of fan-outs completed
	 */
	public CompletableFuture<Integer> completeUnfinished(ExchangeKeys exchange, Duration olderThan) {
		long before = this.queues.clock().millis() - olderThan.toMillis();
		return this.queues.connections()
			.async()
			.zrangebyscore(index(exchange), Range.create(Double.NEGATIVE_INFINITY, (double) before))
			.toCompletableFuture()
			.thenCompose((ids) -> {
				List<CompletableFuture<?>> completions = new ArrayList<>(ids.size());
				for (byte[] raw : ids) {
					String id = new String(raw, StandardCharsets.UTF_8);
					completions.add(this.queues.connections()
						.async()
						.hgetall(record(exchange, id))
						.toCompletableFuture()
						.thenCompose((unwritten) -> complete(exchange, id, unwritten)));
				}
				return CompletableFuture.allOf(completions.toArray(CompletableFuture<?>[]::new))
					.thenApply((done) -> ids.size());
			});
	}

	private CompletableFuture<Void> complete(ExchangeKeys exchange, String id, Map<String, byte[]> unwritten) {
		List<String> readyKeys = new ArrayList<>(unwritten.keySet());
		List<byte[]> envelopes = new ArrayList<>(readyKeys.size());
		for (String readyKey : readyKeys) {
			envelopes.add(unwritten.get(readyKey));
		}
		return writeAll(exchange, id, readyKeys, envelopes);
	}

	private CompletableFuture<Void> writeAll(ExchangeKeys exchange, String id, List<String> readyKeys,
			List<byte[]> envelopes) {
		CompletableFuture<?>[] writes = new CompletableFuture<?>[readyKeys.size()];
		for (int i = 0; i < readyKeys.size(); i++) {
			String readyKey = readyKeys.get(i);
			writes[i] = this.queues.connections()
				.async()
				.lpush(readyKey, envelopes.get(i))
				.toCompletableFuture()
				// struck off once written, so a sweep after a crash writes only the rest
				.thenCompose((length) -> this.queues.connections()
					.async()
					.hdel(record(exchange, id), readyKey)
					.toCompletableFuture());
		}
		return CompletableFuture.allOf(writes).thenCompose((written) -> {
			CompletableFuture<Long> removed = this.queues.connections()
				.async()
				.del(record(exchange, id))
				.toCompletableFuture();
			CompletableFuture<Long> unindexed = this.queues.connections()
				.async()
				.zrem(index(exchange), id.getBytes(StandardCharsets.UTF_8))
				.toCompletableFuture();
			return CompletableFuture.allOf(removed, unindexed);
		});
	}

	private static String index(ExchangeKeys exchange) {
		return exchange.outbox();
	}

	private static String record(ExchangeKeys exchange, String id) {
		return exchange.outbox() + ":" + id;
	}

}
