package io.disker.timer;

import java.util.List;

import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;

/**
 * Converts local monotonic times to Redis server time ({@code TIME}, microsecond
 * resolution), so that tests compare delivery times with due times on the clock Disker
 * uses. The offset is taken from the fastest of several round trips.
 */
final class RedisClockOffset {

	private final double offsetMillis;

	private RedisClockOffset(double offsetMillis) {
		this.offsetMillis = offsetMillis;
	}

	static RedisClockOffset measure(RedisTarget redis) {
		try (RedisCli cli = redis.cli()) {
			double best = Double.MAX_VALUE;
			double offset = 0;
			for (int i = 0; i < 20; i++) {
				long before = System.nanoTime();
				List<?> time = (List<?>) cli.command("TIME");
				long after = System.nanoTime();
				double redisMillis = Long.parseLong((String) time.get(0)) * 1000.0
						+ Long.parseLong((String) time.get(1)) / 1000.0;
				double roundTrip = (after - before) / 1e6;
				if (roundTrip < best) {
					best = roundTrip;
					offset = redisMillis - (before + after) / 2e6;
				}
			}
			return new RedisClockOffset(offset);
		}
	}

	/**
	 * Return the Redis time of a local {@link System#nanoTime()} reading, in
	 * milliseconds.
	 */
	double redisMillis(long nanos) {
		return nanos / 1e6 + this.offsetMillis;
	}

}
