package io.disker.listener;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * How listener containers retry when Redis cannot be reached (the Dispatcher seed's
 * reconnection policy): the pause after the first failure, doubling up to a longest
 * pause, and the number of consecutive failures after which the containers stop for good.
 *
 * @param maxFailures consecutive failures after which containers stop (0 = never)
 * @param initialInterval the pause after the first failure
 * @param maxInterval the longest pause
 * @author Disker team
 * @since 0.1.0
 */
public record ReconnectPolicy(int maxFailures, Duration initialInterval, Duration maxInterval) {

	/**
	 * Retry forever, from 100 ms doubling up to 1 s.
	 */
	public static final ReconnectPolicy DEFAULT = new ReconnectPolicy(0, Duration.ofMillis(100), Duration.ofSeconds(1));

	public ReconnectPolicy {
		Assert.isTrue(maxFailures >= 0, "'maxFailures' must not be negative");
		Assert.isTrue(initialInterval.toMillis() > 0, "'initialInterval' must be positive");
		Assert.isTrue(maxInterval.compareTo(initialInterval) >= 0, "'maxInterval' must not be below 'initialInterval'");
	}

	/**
	 * Return the pause after a run of failures.
	 * @param failures consecutive failures so far, from 1
	 * @return the pause in milliseconds
	 */
	public long pauseMillis(int failures) {
		long initial = this.initialInterval.toMillis();
		int doublings = Math.min(Math.max(failures - 1, 0), 30);
		long pause = (initial > (Long.MAX_VALUE >> doublings)) ? Long.MAX_VALUE : initial << doublings;
		return Math.min(pause, this.maxInterval.toMillis());
	}

	/**
	 * Return whether the containers stop after this many consecutive failures.
	 * @param failures consecutive failures so far
	 * @return whether to stop
	 */
	public boolean givesUpAfter(int failures) {
		return this.maxFailures > 0 && failures >= this.maxFailures;
	}

}
