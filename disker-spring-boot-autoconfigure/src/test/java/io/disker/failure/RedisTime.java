package io.disker.failure;

import java.util.List;

import io.disker.test.RedisCli;

/**
 * Reads the Redis server clock ({@code TIME}, in milliseconds) over its own connection,
 * so tests measure delays and deadlines on the clock Disker uses. Thread-safe.
 */
final class RedisTime implements AutoCloseable {

	private final RedisCli cli;

	RedisTime(String host, int port) {
		this.cli = RedisCli.connect(host, port);
	}

	synchronized long millis() {
		List<?> time = (List<?>) this.cli.command("TIME");
		return Long.parseLong((String) time.get(0)) * 1000 + Long.parseLong((String) time.get(1)) / 1000;
	}

	@Override
	public synchronized void close() {
		this.cli.close();
	}

}
