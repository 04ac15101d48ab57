package io.disker.queue.support;

import java.util.concurrent.CompletableFuture;

/**
 * A set of entries that become due at Redis times: the delayed messages of a queue, the
 * reply deadlines of a named sender, the events of a timer namespace.
 * {@link DueScheduler} calls {@link #promote()} when the earliest entry is due.
 *
 * @author Disker team
 * @since 0.1.0
 */
public interface DueSet {

	/**
	 * Return the id announced on the due channel for this set.
	 * @return the id
	 */
	String id();

	/**
	 * Hand every due entry to its destination, atomically in Redis.
	 * @return a future of the next due time (Redis ms), or -1 if nothing is left
	 */
	CompletableFuture<Long> promote();

}
