package io.disker.listener;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * Runtime settings of one listener container.
 *
 * @param concurrency how many messages are handled at once
 * @param prefetch how many messages the container holds at most (handled or buffered)
 * @param receiveTimeout the longest blocking wait for a message; also bounds how long a
 * stopping container waits for a blocked fetch when it cannot interrupt it
 * @param shutdownTimeout how long a stopping container waits for running handlers
 * @param oneTime whether the container stops after handling its first message
 * @author Disker team
 * @since 0.1.0
 */
public record ContainerOptions(int concurrency, int prefetch, Duration receiveTimeout, Duration shutdownTimeout,
		boolean oneTime) {

	/**
	 * Defaults: concurrency 1, prefetch 50, receive timeout 1 s, shutdown timeout 30 s.
	 */
	public static final ContainerOptions DEFAULTS = new ContainerOptions(1, 50, Duration.ofSeconds(1),
			Duration.ofSeconds(30), false);

	public ContainerOptions {
		Assert.isTrue(concurrency >= 1, "'concurrency' must be at least 1");
		Assert.isTrue(prefetch >= 1, "'prefetch' must be at least 1");
		Assert.isTrue(receiveTimeout.toMillis() >= 1, "'receiveTimeout' must be at least 1 ms");
		Assert.isTrue(!shutdownTimeout.isNegative(), "'shutdownTimeout' must not be negative");
		prefetch = Math.max(prefetch, concurrency);
	}

	/**
	 * Return a copy with another concurrency.
	 * @param value the concurrency
	 * @return the copy
	 */
	public ContainerOptions withConcurrency(int value) {
		return new ContainerOptions(value, this.prefetch, this.receiveTimeout, this.shutdownTimeout, this.oneTime);
	}

	/**
	 * Return a copy with another prefetch.
	 * @param value the prefetch
	 * @return the copy
	 */
	public ContainerOptions withPrefetch(int value) {
		return new ContainerOptions(this.concurrency, value, this.receiveTimeout, this.shutdownTimeout, this.oneTime);
	}

	/**
	 * Return a copy that stops after its first message (concurrency and prefetch 1).
	 * @return the copy
	 */
	public ContainerOptions asOneTime() {
		return new ContainerOptions(1, 1, this.receiveTimeout, this.shutdownTimeout, true);
	}

}
