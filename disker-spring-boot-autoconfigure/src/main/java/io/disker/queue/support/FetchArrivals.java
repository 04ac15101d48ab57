package io.disker.queue.support;

import java.util.List;

/**
 * Receives the messages of a consumer's blocking fetch as they are taken, and keeps
 * further fetches going while messages come one by one (see
 * {@link QueueConsumer#fetchBlocking(int, java.time.Duration, FetchArrivals)}). Called on
 * the fetching thread or on the Redis I/O thread that read a fetch's reply; it must not
 * block.
 *
 * @author Disker team
 * @since 0.1.0
 */
public interface FetchArrivals {

	/**
	 * Settle one fetch: every fetch of a blocking fetch is settled exactly once, with the
	 * messages it took.
	 * @param messages the messages taken, oldest first, held by the consumer; empty when
	 * the fetch found none, failed or was cut short
	 * @param max the most the fetch could take (for a further fetch, what {@link #more()}
	 * returned)
	 */
	void arrived(List<Delivery> messages, int max);

	/**
	 * Return how many messages a further fetch may take, pipelined behind a further wait
	 * by the thread that read the last fetch: called after a fetch took some messages,
	 * fewer than it could (the queue is empty again).
	 * @return the most the further fetch may take, or 0 to end the blocking fetch
	 */
	int more();

}
