package io.disker.listener;

import io.disker.core.DiskerNames;
import org.jspecify.annotations.Nullable;

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

	protected AbstractDiskerListenerEndpoint(String id, String queue) {
		Assert.hasText(id, "'id' must not be empty");
		this.id = id;
		this.queue = DiskerNames.validate("queue", queue);
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
		return getClass().getSimpleName() + "[id=" + this.id + ", queue=" + this.queue + "]";
	}

}
