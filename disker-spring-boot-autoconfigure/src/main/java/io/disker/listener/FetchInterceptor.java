package io.disker.listener;

import java.util.List;

import io.disker.queue.support.Delivery;

/**
 * Sees each batch a listener container fetched, on its fetch thread, before the batch is
 * handed to the handler threads: it may act on the whole batch with one Redis call and
 * hold back deliveries that must not be handled (they are acknowledged unhandled).
 *
 * @author Disker team
 * @since 0.1.0
 * @see DiskerMessageListenerContainer#setFetchInterceptor(FetchInterceptor)
 */
@FunctionalInterface
public interface FetchInterceptor {

	/**
	 * Inspect a fetched batch. When this throws, no delivery of the batch is handled: the
	 * batch goes back to the queue and the failure counts as a fetch failure (the loop
	 * backs off, and the container's fetch failure listener hears of it once per run of
	 * failures).
	 * @param deliveries the batch, oldest first (never empty)
	 * @return the deliveries to handle, a subsequence of {@code deliveries} (the same
	 * instances); the others are acknowledged without being handled
	 */
	List<Delivery> intercept(List<Delivery> deliveries);

}
