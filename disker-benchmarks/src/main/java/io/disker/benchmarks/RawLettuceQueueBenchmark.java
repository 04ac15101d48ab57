package io.disker.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.disker.redis.FlushConsolidatingNettyCustomizer;
import io.disker.test.RedisTarget;
import io.lettuce.core.LMoveArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;

/**
 * The baseline: the same reliable-queue protocol as Disker, written directly on Lettuce
 * with nothing in between. One consumer connection moves up to {@value #BATCH} messages
 * at a time into a processing list with one Lua call and "handles" them (no-op), blocking
 * on {@code BLMOVE} only when the list is empty; a second connection removes them from
 * the processing list with one pipelined Lua call per batch, never waited for between
 * batches. {@link #run} is end to end like Disker's figure: a producer connection
 * {@code LPUSH}es each message (at most {@value #MAX_IN_FLIGHT} unconfirmed) while the
 * consumer drains, timed from the first send to the last acknowledgement.
 * {@link #consumeOnly} drains a pre-loaded list, timed from the first fetch.
 */
final class RawLettuceQueueBenchmark implements AutoCloseable {

	static final int BATCH = 100;

	static final int MAX_IN_FLIGHT = 2000;

	private static final int PRELOAD_CHUNK = 1000;

	private static final byte[] READY = bytes("bench:raw:ready");

	private static final byte[] PROCESSING = bytes("bench:raw:proc");

	private static final String FETCH = """
			local messages = redis.call('RPOP', KEYS[1], tonumber(ARGV[1]))
			if not messages then
			  return {}
			end
			redis.call('LPUSH', KEYS[2], unpack(messages))
			return messages
			""";

	private static final String ACK = """
			for i = 1, #ARGV do
			  redis.call('LREM', KEYS[1], -1, ARGV[i])
			end
			return #ARGV
			""";

	private final RedisTarget redis;

	private final int payloadSize;

	/**
	 * Whether the main baseline's connections consolidate flushes: by default as Disker's
	 * own connections do ({@code disker.connection.consolidate-flushes}, on unless set to
	 * false), so that both sides of {@code queue.ratio} use the same transport;
	 * {@code -Dbench.raw.consolidate-flushes} overrides it. The suite measures the other
	 * setting too, as a second baseline.
	 */
	static final boolean CONSOLIDATE_FLUSHES = Boolean.parseBoolean(System.getProperty("bench.raw.consolidate-flushes",
			System.getProperty("disker.connection.consolidate-flushes", "true")));

	private final boolean consolidateFlushes;

	private final ClientResources resources;

	private final RedisClient client;

	private final StatefulRedisConnection<byte[], byte[]> consumer;

	private final StatefulRedisConnection<byte[], byte[]> acker;

	private final StatefulRedisConnection<byte[], byte[]> producer;

	RawLettuceQueueBenchmark(RedisTarget redis, int payloadSize, boolean consolidateFlushes) {
		this.redis = redis;
		this.payloadSize = payloadSize;
		this.consolidateFlushes = consolidateFlushes;
		this.resources = consolidateFlushes
				? ClientResources.builder().nettyCustomizer(new FlushConsolidatingNettyCustomizer()).build()
				: ClientResources.create();
		this.client = RedisClient.create(this.resources, redis.uri());
		this.consumer = this.client.connect(ByteArrayCodec.INSTANCE);
		this.acker = this.client.connect(ByteArrayCodec.INSTANCE);
		this.producer = this.client.connect(ByteArrayCodec.INSTANCE);
	}

	/**
	 * Send {@code count} messages, one {@code LPUSH} each, while draining them.
	 * @param count the number of messages
	 * @return the end-to-end throughput
	 */
	Stats.Throughput run(int count) throws Exception {
		return run(count, false);
	}

	/**
	 * Send {@code count} messages while draining them, coalescing the sends as Disker
	 * does: one {@code LPUSH} on its way at a time, and the messages sent meanwhile go
	 * out together with the next one (see {@link CoalescedPushes}).
	 * @param count the number of messages
	 * @return the end-to-end throughput
	 */
	Stats.Throughput runCoalesced(int count) throws Exception {
		return run(count, true);
	}

	private Stats.Throughput run(int count, boolean coalesced) throws Exception {
		reset();
		byte[][] messages = new byte[count][];
		for (int i = 0; i < count; i++) {
			messages[i] = message(i);
		}
		Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
		RedisAsyncCommands<byte[], byte[]> pushing = this.producer.async();
		CoalescedPushes pushes = new CoalescedPushes(pushing, READY, inFlight);
		CompletableFuture<Void> sent = new CompletableFuture<>();
		Thread sender = new Thread(() -> {
			try {
				for (byte[] message : messages) {
					inFlight.acquire();
					if (coalesced) {
						pushes.push(message);
					}
					else {
						pushing.lpush(READY, message).whenComplete((length, ex) -> inFlight.release());
					}
				}
				inFlight.acquire(MAX_IN_FLIGHT);
				sent.complete(null);
			}
			catch (InterruptedException ex) {
				sent.completeExceptionally(ex);
			}
		}, "raw-producer");
		long start = System.nanoTime();
		sender.start();
		Stats.Throughput drained = drain(count, start);
		sent.get(60, TimeUnit.SECONDS);
		return drained;
	}

	/**
	 * Pre-load and drain {@code count} messages.
	 * @param count the number of messages
	 * @return the throughput of draining
	 */
	Stats.Throughput consumeOnly(int count) throws Exception {
		reset();
		preload(count);
		ProfiledPhase phase = ProfiledPhase.begin("queue.consume.raw");
		ProcessCost.Snapshot cost = ProcessCost.snapshot(this.redis);
		Stats.Throughput drained = drain(count, -1);
		Stats.measuredPart(this.redis, cost, count);
		phase.finish();
		return drained;
	}

	private Stats.Throughput drain(int count, long startedAt) throws Exception {
		RedisCommands<byte[], byte[]> fetching = this.consumer.sync();
		RedisAsyncCommands<byte[], byte[]> acking = this.acker.async();
		String fetch = fetching.scriptLoad(FETCH);
		String ack = acking.scriptLoad(ACK).get(10, TimeUnit.SECONDS);
		byte[][] processingKey = { PROCESSING };
		byte[][] fetchKeys = { READY, PROCESSING };
		byte[] batchArg = bytes(Integer.toString(BATCH));
		List<RedisFuture<Long>> acks = new ArrayList<>(count / BATCH + 1);
		int received = 0;
		long start = (startedAt >= 0) ? startedAt : System.nanoTime();
		while (received < count) {
			List<byte[]> batch = fetching.evalsha(fetch, ScriptOutputType.MULTI, fetchKeys, batchArg);
			if (batch.isEmpty()) {
				// nothing ready: block until a message arrives, as a real consumer does
				byte[] one = fetching.blmove(READY, PROCESSING, LMoveArgs.Builder.rightLeft(), 1.0);
				if (one == null) {
					throw new IllegalStateException("Raw queue run stalled after " + received + " of " + count);
				}
				batch = List.of(one);
			}
			received += batch.size();
			// handling is a no-op; acknowledge the whole batch without waiting
			acks.add(acking.evalsha(ack, ScriptOutputType.INTEGER, processingKey, batch.toArray(new byte[0][])));
		}
		CompletableFuture.allOf(acks.stream().map(RedisFuture::toCompletableFuture).toArray(CompletableFuture[]::new))
			.get(60, TimeUnit.SECONDS);
		long elapsed = System.nanoTime() - start;
		long acked = acks.stream().mapToLong((future) -> future.toCompletableFuture().join()).sum();
		long left = fetching.llen(PROCESSING) + fetching.llen(READY);
		if (received != count || acked != count || left != 0) {
			throw new IllegalStateException("Raw queue run lost track: sent " + count + ", fetched " + received
					+ ", acknowledged " + acked + ", left in Redis " + left);
		}
		return new Stats.Throughput(count, elapsed, "msgs/s", "");
	}

	private void preload(int count) throws Exception {
		RedisAsyncCommands<byte[], byte[]> async = this.acker.async();
		List<RedisFuture<Long>> pushes = new ArrayList<>();
		byte[][] chunk = new byte[PRELOAD_CHUNK][];
		int filled = 0;
		for (int i = 0; i < count; i++) {
			chunk[filled++] = message(i);
			if (filled == chunk.length || i == count - 1) {
				pushes.add(async.lpush(READY, Arrays.copyOf(chunk, filled)));
				filled = 0;
			}
		}
		for (RedisFuture<Long> push : pushes) {
			push.get(60, TimeUnit.SECONDS);
		}
	}

	/**
	 * @return whether this baseline's connections consolidate flushes
	 */
	boolean consolidatesFlushes() {
		return this.consolidateFlushes;
	}

	/** Remove this benchmark's lists; other keys (those of a Disker application) stay. */
	private void reset() {
		this.producer.sync().del(READY, PROCESSING);
	}

	/** A unique message of exactly {@code payloadSize} bytes. */
	private byte[] message(int sequence) {
		byte[] message = new byte[this.payloadSize];
		Arrays.fill(message, (byte) 'x');
		byte[] prefix = bytes("msg-" + sequence + "-");
		System.arraycopy(prefix, 0, message, 0, Math.min(prefix.length, message.length));
		return message;
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public void close() {
		this.consumer.close();
		this.acker.close();
		this.producer.close();
		this.client.shutdown(0, 2, TimeUnit.SECONDS);
		this.resources.shutdown(0, 2, TimeUnit.SECONDS);
	}

}
