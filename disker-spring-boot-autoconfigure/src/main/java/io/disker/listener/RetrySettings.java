package io.disker.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.util.Assert;

/**
 * Retry settings of a listener: attempts, exponential back-off and exceptions never
 * retried. A {@code null} value means "inherit"; {@link #withDefaults(RetrySettings)}
 * fills them in.
 *
 * @param maxAttempts attempts per message, the first included
 * @param delay delay before the first retry
 * @param multiplier factor applied to the delay after each retry
 * @param maxDelay longest delay between two attempts
 * @param notRetryable exceptions (and subclasses) never retried
 * @author Disker team
 * @since 0.1.0
 */
public record RetrySettings(@Nullable Integer maxAttempts, @Nullable Duration delay, @Nullable Double multiplier,
		@Nullable Duration maxDelay, List<Class<? extends Throwable>> notRetryable) {

	/**
	 * The defaults: 3 attempts, 1 s initial delay doubling up to 30 s.
	 */
	public static final RetrySettings DEFAULTS = new RetrySettings(3, Duration.ofSeconds(1), 2.0,
			Duration.ofSeconds(30), List.of());

	public RetrySettings {
		Assert.isTrue(maxAttempts == null || maxAttempts >= 1, "'maxAttempts' must be at least 1");
		Assert.isTrue(multiplier == null || multiplier >= 1, "'multiplier' must be at least 1");
		notRetryable = List.copyOf(notRetryable);
	}

	/**
	 * Return whether every value is inherited.
	 * @return whether nothing is overridden
	 */
	public boolean isEmpty() {
		return this.maxAttempts == null && this.delay == null && this.multiplier == null && this.maxDelay == null
				&& this.notRetryable.isEmpty();
	}

	/**
	 * Fill inherited values from other settings; exceptions never retried are combined.
	 * @param defaults the settings to inherit from
	 * @return the merged settings
	 */
	public RetrySettings withDefaults(RetrySettings defaults) {
		List<Class<? extends Throwable>> combined = new ArrayList<>(defaults.notRetryable);
		combined.addAll(this.notRetryable);
		return new RetrySettings((this.maxAttempts != null) ? this.maxAttempts : defaults.maxAttempts,
				(this.delay != null) ? this.delay : defaults.delay,
				(this.multiplier != null) ? this.multiplier : defaults.multiplier,
				(this.maxDelay != null) ? this.maxDelay : defaults.maxDelay, combined);
	}

	/**
	 * Build the retry policy; inherited values come from {@link #DEFAULTS}.
	 * @return the policy
	 */
	public RetryPolicy toRetryPolicy() {
		RetrySettings complete = withDefaults(DEFAULTS);
		return RetryPolicy.builder()
			.maxRetries(complete.maxAttempts() - 1L)
			.delay(complete.delay())
			.multiplier(complete.multiplier())
			.maxDelay(complete.maxDelay())
			.excludes(complete.notRetryable())
			.build();
	}

}
