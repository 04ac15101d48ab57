package io.disker.redis;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * The Redis server clock, the only clock Disker uses for due times, deadlines and leases.
 * <p>
 * Scripts read {@code TIME} themselves. Where a round trip per operation would cost too much
 * (stamping the creation time and deadline of each sent message), this class estimates Redis
 * time from an offset to the local monotonic clock, measured with {@code TIME} and refreshed
 * by {@link #synchronize()} (Disker calls it at least every 30 seconds).
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class RedisClock {

	private final DiskerConnections connections;

	private volatile long offsetMillis;

	private volatile boolean synchronized_;

	/**
	 * Create a clock.
	 * @param connections the connections
	 */
	public RedisClock(DiskerConnections connections) {
		this.connections = connections;
	}

	/**
	 * Return the current Redis time estimate, synchronizing first if never done.
	 * @return Redis time in milliseconds since the epoch
	 */
	public long millis() {
		if (!this.synchronized_) {
			synchronize();
		}
		return monotonicMillis() + this.offsetMillis;
	}

	/**
	 * Return the current Redis time estimate.
	 * @return the instant
	 */
	public Instant now() {
		return Instant.ofEpochMilli(millis());
	}

	/**
	 * Measure the offset with a {@code TIME} round trip, centered on its midpoint.
	 */
	public void synchronize() {
		RedisClusterAsyncCommands<String, byte[]> commands = this.connections.async();
		long before = monotonicMillis();
		List<byte[]> time;
		try {
			time = commands.time().get(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while reading the Redis clock", ex);
		}
		catch (Exception ex) {
			throw new io.disker.core.DiskerConnectionException("Cannot read the Redis clock (TIME)", ex);
		}
		long after = monotonicMillis();
		observe(parse(time), (before + after) / 2);
	}

	/**
	 * Record a Redis time read at a known local monotonic instant, e.g. returned by a script.
	 * @param redisMillis the Redis time
	 * @param atMonotonicMillis the local monotonic time it was valid at
	 */
	public void observe(long redisMillis, long atMonotonicMillis) {
		this.offsetMillis = redisMillis - atMonotonicMillis;
		this.synchronized_ = true;
	}

	/**
	 * Return the local monotonic clock in milliseconds, the base of the estimate.
	 * @return monotonic milliseconds
	 */
	public static long monotonicMillis() {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
	}

	private static long parse(List<byte[]> time) {
		long seconds = Long.parseLong(new String(time.get(0), java.nio.charset.StandardCharsets.US_ASCII));
		long micros = Long.parseLong(new String(time.get(1), java.nio.charset.StandardCharsets.US_ASCII));
		return seconds * 1000 + micros / 1000;
	}

}
