package io.disker.listener;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.util.Assert;

/**
 * Runtime settings of one listener container.
 *
 * @param concurrency how many messages are handled at once
 * @param prefetch how many messages the container holds at most (handled or buffered); it
 * holds fewer while its handlers are slow (see {@code HandlingPace})
 * @param receiveTimeout the longest blocking wait for a message; also bounds how long a
 * stopping container waits for a blocked fetch when it cannot interrupt it
 * @param shutdownTimeout how long a stopping container waits for running handlers
 * @param oneTime whether the container stops after handling its first message
 * @param retryPolicy which failures are retried and with what back-off; its retries are
 * scheduled in Redis, not slept on
 * @param timeout the longest a listener may run on one message, or {@code null} for no
 * limit
 * @author Disker team
 * @since 0.1.0
 */
public record ContainerOptions(int concurrency, int prefetch, Duration receiveTimeout, Duration shutdownTimeout,
		boolean oneTime, RetryPolicy retryPolicy, @Nullable Duration timeout) {

	/**
	 * The default retry policy: 3 attempts, 1 s then 2 s apart.
	 */
	public static final RetryPolicy DEFAULT_RETRY_POLICY = RetryPolicy.builder()
		.maxRetries(2)
		.delay(Duration.ofSeconds(1))
		.multiplier(2)
		.maxDelay(Duration.ofSeconds(30))
		.build();

	/**
	 * Defaults: concurrency 1, prefetch 250, receive timeout 5 s, shutdown timeout 30 s,
	 * the default retry policy, no processing timeout.
	 */
	public static final ContainerOptions DEFAULTS = new ContainerOptions(1, 250, Duration.ofSeconds(5),
			Duration.ofSeconds(30), false, DEFAULT_RETRY_POLICY, null);

	public ContainerOptions {
		Assert.isTrue(concurrency >= 1, "'concurrency' must be at least 1");
		Assert.isTrue(prefetch >= 1, "'prefetch' must be at least 1");
		Assert.isTrue(receiveTimeout.toMillis() >= 1, "'receiveTimeout' must be at least 1 ms");
		Assert.isTrue(!shutdownTimeout.isNegative(), "'shutdownTimeout' must not be negative");
		Assert.notNull(retryPolicy, "'retryPolicy' must not be null");
		Assert.isTrue(timeout == null || timeout.toMillis() > 0, "'timeout' must be positive");
		prefetch = Math.max(prefetch, concurrency);
	}

	/**
	 * Return a copy with another concurrency.
	 * @param value the concurrency
	 * @return the copy
	 */
	public ContainerOptions withConcurrency(int value) {
		return new ContainerOptions(value, this.prefetch, this.receiveTimeout, this.shutdownTimeout, this.oneTime,
				this.retryPolicy, this.timeout);
	}

	/**
	 * Return a copy with another prefetch.
	 * @param value the prefetch
	 * @return the copy
	 */
	public ContainerOptions withPrefetch(int value) {
		return new ContainerOptions(this.concurrency, value, this.receiveTimeout, this.shutdownTimeout, this.oneTime,
				this.retryPolicy, this.timeout);
	}

	/**
	 * Return a copy with another retry policy.
	 * @param value the policy
	 * @return the copy
	 */
	public ContainerOptions withRetryPolicy(RetryPolicy value) {
		return new ContainerOptions(this.concurrency, this.prefetch, this.receiveTimeout, this.shutdownTimeout,
				this.oneTime, value, this.timeout);
	}

	/**
	 * Return a copy with another processing timeout.
	 * @param value the timeout, or {@code null} for none
	 * @return the copy
	 */
	public ContainerOptions withTimeout(@Nullable Duration value) {
		return new ContainerOptions(this.concurrency, this.prefetch, this.receiveTimeout, this.shutdownTimeout,
				this.oneTime, this.retryPolicy, value);
	}

	/**
	 * Return a copy that stops after its first message (concurrency and prefetch 1).
	 * @return the copy
	 */
	public ContainerOptions asOneTime() {
		return new ContainerOptions(1, 1, this.receiveTimeout, this.shutdownTimeout, true, this.retryPolicy,
				this.timeout);
	}

}
