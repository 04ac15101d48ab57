package io.disker.config;

import java.time.Duration;

import io.disker.core.support.MessageCodec;
import io.disker.listener.DiskerMessageListener;
import io.disker.listener.RetrySettings;
import io.disker.redis.QueueKind;
import org.jspecify.annotations.Nullable;

import org.springframework.core.retry.RetryPolicy;

/**
 * Describes one listener: the queue, its settings, and how to create its
 * {@link DiskerMessageListener}. A container factory turns an endpoint into a container.
 *
 * @author Disker team
 * @since 0.1.0
 */
public interface DiskerListenerEndpoint {

	/**
	 * Return the id of the container to create, unique in the application.
	 * @return the id
	 */
	String getId();

	/**
	 * Return the queue to consume.
	 * @return the queue name (for a timeout listener, the sender name)
	 */
	String getQueue();

	/**
	 * Return the kind of queue: a user queue, or the timeout notifications of a named
	 * sender.
	 * @return the kind
	 */
	default QueueKind getQueueKind() {
		return QueueKind.QUEUE;
	}

	/**
	 * Return the retry policy, or {@code null} for the factory default.
	 * @return the retry policy
	 */
	default @Nullable RetryPolicy getRetryPolicy() {
		return null;
	}

	/**
	 * Return the retry settings this listener overrides, or {@code null} to inherit all.
	 * Ignored when {@link #getRetryPolicy()} returns a policy.
	 * @return the overrides
	 */
	default @Nullable RetrySettings getRetrySettings() {
		return null;
	}

	/**
	 * Return the processing timeout, or {@code null} for the factory default.
	 * @return the timeout
	 */
	default @Nullable Duration getTimeout() {
		return null;
	}

	/**
	 * Return the concurrency, or {@code null} for the factory default.
	 * @return the concurrency
	 */
	@Nullable Integer getConcurrency();

	/**
	 * Return the prefetch, or {@code null} for the factory default.
	 * @return the prefetch
	 */
	@Nullable Integer getPrefetch();

	/**
	 * Return whether to start with the context, or {@code null} for the factory default.
	 * @return the auto-startup flag
	 */
	@Nullable Boolean getAutoStartup();

	/**
	 * Return whether the container stops after its first message.
	 * @return whether it is one-time
	 */
	default boolean isOneTime() {
		return false;
	}

	/**
	 * Create the listener.
	 * @param codec the message codec
	 * @return the listener
	 */
	DiskerMessageListener createMessageListener(MessageCodec codec);

}
