package io.disker.timer;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * Settings of the distributed timer of an application instance.
 *
 * @param namespace the namespace of the {@link DTimer} bean
 * @param maxEvents the most events a joined node holds at once (fetch batch size), unless
 * changed with {@link DTimer#setMaxEvents(int)}
 * @param confirmTimeout how long after a delivery an unconfirmed event with retries left
 * fires again
 * @param autoJoin whether the node joins, at startup, every namespace it has
 * {@link io.disker.annotation.TimerListener @TimerListener} methods for
 * @param operationTimeout the longest a {@link DTimer} operation waits for Redis
 * @author Disker team
 * @since 0.1.0
 */
public record TimerSettings(String namespace, int maxEvents, Duration confirmTimeout, boolean autoJoin,
		Duration operationTimeout) {

	/**
	 * The defaults: namespace {@code dt}, 8 events, confirm timeout 10 s, auto-join, 5 s
	 * per operation.
	 */
	public static final TimerSettings DEFAULTS = new TimerSettings("dt", 8, Duration.ofSeconds(10), true,
			Duration.ofSeconds(5));

	public TimerSettings {
		Assert.hasText(namespace, "'namespace' must not be empty");
		Assert.isTrue(maxEvents >= 1, "'maxEvents' must be at least 1");
		Assert.isTrue(confirmTimeout.toMillis() >= 1, "'confirmTimeout' must be at least 1 ms");
		Assert.isTrue(operationTimeout.toMillis() >= 1, "'operationTimeout' must be at least 1 ms");
	}

}
