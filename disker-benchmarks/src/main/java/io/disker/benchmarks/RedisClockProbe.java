package io.disker.benchmarks;

import java.util.List;

import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;

/**
 * The Redis server clock ({@code TIME}), read on the local monotonic clock: the offset
 * between the two is measured once, from the {@code TIME} round trip with the shortest
 * time, centred on its midpoint. Due times in Redis and the times the benchmark records
 * are then on one clock, with an error of at most half that round trip.
 */
final class RedisClockProbe {

	private static final int SAMPLES = 50;

	private final long offsetMicros;

	private final long roundTripMicros;

	private RedisClockProbe(long offsetMicros, long roundTripMicros) {
		this.offsetMicros = offsetMicros;
		this.roundTripMicros = roundTripMicros;
	}

	/**
	 * Measure the offset.
	 * @param redis the server
	 * @return the clock
	 */
	static RedisClockProbe measure(RedisTarget redis) {
		long bestRoundTrip = Long.MAX_VALUE;
		long bestOffset = 0;
		try (RedisCli cli = redis.cli()) {
			for (int i = 0; i < SAMPLES; i++) {
				long before = System.nanoTime();
				List<?> time = (List<?>) cli.command("TIME");
				long after = System.nanoTime();
				long redisMicros = Long.parseLong(String.valueOf(time.get(0))) * 1_000_000
						+ Long.parseLong(String.valueOf(time.get(1)));
				long roundTrip = after - before;
				if (roundTrip < bestRoundTrip) {
					bestRoundTrip = roundTrip;
					bestOffset = redisMicros - (before + roundTrip / 2) / 1000;
				}
			}
		}
		return new RedisClockProbe(bestOffset, bestRoundTrip / 1000);
	}

	/**
	 * @return the Redis time now, in microseconds since the epoch
	 */
	long nowMicros() {
		return System.nanoTime() / 1000 + this.offsetMicros;
	}

	/**
	 * @return the shortest {@code TIME} round trip seen, in microseconds (twice the error
	 * bound)
	 */
	long roundTripMicros() {
		return this.roundTripMicros;
	}

}
