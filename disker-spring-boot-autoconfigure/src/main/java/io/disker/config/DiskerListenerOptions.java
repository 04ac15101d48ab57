package io.disker.config;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Options of a programmatically registered handler. <pre class="code">
 * registry.register("worker-1", (DiskerMessage&lt;Order&gt; m) -&gt; handle(m.payload()),
 *     DiskerListenerOptions.of(Order.class).withConcurrency(4));
 * registry.register("dispatcher-1", (DiskerMessage&lt;String&gt; m) -&gt; null, DiskerListenerOptions.of(String.class).asOneTime());
 * </pre>
 *
 * @param <T> the payload type
 * @param payloadType the type payloads are converted to
 * @param id the container id, or {@code null} to derive one from the queue
 * @param concurrency the concurrency, 0 for the default
 * @param prefetch the prefetch, 0 for the default
 * @param oneTime whether the handler is removed after its first message
 * @author Disker team
 * @since 0.1.0
 */
public record DiskerListenerOptions<T>(Class<T> payloadType, @Nullable String id, int concurrency, int prefetch,
		boolean oneTime) {

	public DiskerListenerOptions {
		Assert.notNull(payloadType, "'payloadType' must not be null");
		Assert.isTrue(concurrency >= 0, "'concurrency' must not be negative");
		Assert.isTrue(prefetch >= 0, "'prefetch' must not be negative");
	}

	/**
	 * Return default options for a payload type.
	 * @param <T> the payload type
	 * @param payloadType the type payloads are converted to
	 * @return the options
	 */
	public static <T> DiskerListenerOptions<T> of(Class<T> payloadType) {
		return new DiskerListenerOptions<>(payloadType, null, 0, 0, false);
	}

	/**
	 * Return a copy with a container id.
	 * @param value the id
	 * @return the copy
	 */
	public DiskerListenerOptions<T> withId(String value) {
		return new DiskerListenerOptions<>(this.payloadType, value, this.concurrency, this.prefetch, this.oneTime);
	}

	/**
	 * Return a copy with a concurrency.
	 * @param value the concurrency
	 * @return the copy
	 */
	public DiskerListenerOptions<T> withConcurrency(int value) {
		return new DiskerListenerOptions<>(this.payloadType, this.id, value, this.prefetch, this.oneTime);
	}

	/**
	 * Return a copy with a prefetch.
	 * @param value the prefetch
	 * @return the copy
	 */
	public DiskerListenerOptions<T> withPrefetch(int value) {
		return new DiskerListenerOptions<>(this.payloadType, this.id, this.concurrency, value, this.oneTime);
	}

	/**
	 * Return a copy whose handler is removed after the first message it handles; other
	 * messages stay queued for the next handler.
	 * @return the copy
	 */
	public DiskerListenerOptions<T> asOneTime() {
		return new DiskerListenerOptions<>(this.payloadType, this.id, this.concurrency, this.prefetch, true);
	}

}
