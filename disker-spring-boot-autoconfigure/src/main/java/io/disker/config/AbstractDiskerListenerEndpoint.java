package io.disker.config;

import java.time.Duration;

import io.disker.core.DiskerNames;
import io.disker.listener.DiskerListenerErrorHandler;
import io.disker.listener.DiskerMessageListener;
import io.disker.listener.RetrySettings;
import io.disker.redis.QueueKind;
import org.jspecify.annotations.Nullable;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.util.Assert;

/**
 * Base for endpoints: holds the id, queue and settings.
 *
 * @author Disker team
 * @since 0.1.0
 */
public abstract class AbstractDiskerListenerEndpoint implements DiskerListenerEndpoint {

	private final String id;

	private final String queue;

	private @Nullable Integer concurrency;

	private @Nullable Integer prefetch;

	private @Nullable Boolean autoStartup;

	private QueueKind queueKind = QueueKind.QUEUE;

	private @Nullable RetryPolicy retryPolicy;

	private @Nullable RetrySettings retrySettings;

	private @Nullable Duration timeout;

	private @Nullable DiskerListenerErrorHandler errorHandler;

	protected AbstractDiskerListenerEndpoint(String id, String queue) {
		Assert.hasText(id, "'id' must not be empty");
		this.id = id;
		this.queue = DiskerNames.validate("queue", queue);
	}

	@Override
	public QueueKind getQueueKind() {
		return this.queueKind;
	}

	/**
	 * Set the kind of queue; {@link QueueKind#SENDER} consumes the timeout notifications
	 * of the sender named by {@link #getQueue()}.
	 * @param queueKind the kind
	 */
	public void setQueueKind(QueueKind queueKind) {
		Assert.isTrue(queueKind != QueueKind.TIMER, "Timer events are consumed by @TimerListener methods");
		this.queueKind = queueKind;
	}

	@Override
	public @Nullable RetryPolicy getRetryPolicy() {
		return this.retryPolicy;
	}

	/**
	 * Set the retry policy.
	 * @param retryPolicy the policy, or {@code null} for the default
	 */
	public void setRetryPolicy(@Nullable RetryPolicy retryPolicy) {
		this.retryPolicy = retryPolicy;
	}

	@Override
	public @Nullable RetrySettings getRetrySettings() {
		return this.retrySettings;
	}

	/**
	 * Set the retry settings this listener overrides.
	 * @param retrySettings the overrides, or {@code null} to inherit all
	 */
	public void setRetrySettings(@Nullable RetrySettings retrySettings) {
		this.retrySettings = (retrySettings != null && !retrySettings.isEmpty()) ? retrySettings : null;
	}

	@Override
	public @Nullable Duration getTimeout() {
		return this.timeout;
	}

	/**
	 * Set the processing timeout.
	 * @param timeout the timeout, or {@code null} for the default
	 */
	public void setTimeout(@Nullable Duration timeout) {
		this.timeout = timeout;
	}

	/**
	 * Return the listener-level error handler.
	 * @return the error handler, or {@code null}
	 */
	public @Nullable DiskerListenerErrorHandler getErrorHandler() {
		return this.errorHandler;
	}

	/**
	 * Set the listener-level error handler.
	 * @param errorHandler the error handler, or {@code null}
	 */
	public void setErrorHandler(@Nullable DiskerListenerErrorHandler errorHandler) {
		this.errorHandler = errorHandler;
	}

	/**
	 * Wrap a listener with the error handler, if any.
	 * @param listener the listener
	 * @return the listener to use
	 */
	protected DiskerMessageListener withErrorHandler(DiskerMessageListener listener) {
		DiskerListenerErrorHandler handler = this.errorHandler;
		if (handler == null) {
			return listener;
		}
		return (message) -> {
			try {
				return listener.onMessage(message);
			}
			catch (Exception ex) {
				return handler.handleError(message, ex);
			}
		};
	}

	@Override
	public String getId() {
		return this.id;
	}

	@Override
	public String getQueue() {
		return this.queue;
	}

	@Override
	public @Nullable Integer getConcurrency() {
		return this.concurrency;
	}

	/**
	 * Set the concurrency.
	 * @param concurrency at least 1, or {@code null} for the default
	 */
	public void setConcurrency(@Nullable Integer concurrency) {
		Assert.isTrue(concurrency == null || concurrency >= 1, "'concurrency' must be at least 1");
		this.concurrency = concurrency;
	}

	@Override
	public @Nullable Integer getPrefetch() {
		return this.prefetch;
	}

	/**
	 * Set the prefetch.
	 * @param prefetch at least 1, or {@code null} for the default
	 */
	public void setPrefetch(@Nullable Integer prefetch) {
		Assert.isTrue(prefetch == null || prefetch >= 1, "'prefetch' must be at least 1");
		this.prefetch = prefetch;
	}

	@Override
	public @Nullable Boolean getAutoStartup() {
		return this.autoStartup;
	}

	/**
	 * Set whether the container starts with the context.
	 * @param autoStartup the flag, or {@code null} for the default
	 */
	public void setAutoStartup(@Nullable Boolean autoStartup) {
		this.autoStartup = autoStartup;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[id=" + this.id + ", " + this.queueKind.code() + ":" + this.queue + "]";
	}

}
