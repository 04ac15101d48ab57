package io.disker.listener;

import java.util.concurrent.TimeUnit;

/**
 * How many messages a container holds (handled or buffered), from how fast its handlers
 * go: enough buffered that a handler never waits for a fetch and fetches come in large
 * batches, but no more than the handlers finish in about {@link #WINDOW_MILLIS}. A
 * container whose handlers are slow thus holds little more than it handles, and leaves
 * the rest of the queue to the handlers of other instances, while one whose handlers are
 * quick fetches up to its {@code prefetch}.
 * <p>
 * Until the first message was handled the pace is unknown, and a container holds twice
 * its concurrency at most.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class HandlingPace {

	/** How much work a container buffers ahead of its handlers, in handling time. */
	static final long WINDOW_MILLIS = 100;

	private static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(WINDOW_MILLIS);

	/** Weight of the latest handling time in the average: 1 / 2^3. */
	private static final int SMOOTHING_SHIFT = 3;

	private final int concurrency;

	private final int prefetch;

	/**
	 * Average handling time in nanoseconds, or -1 before the first. Handler threads
	 * update it without a lock: a lost update only delays the average by one message.
	 */
	private volatile long averageNanos = -1;

	HandlingPace(ContainerOptions options) {
		this.concurrency = options.concurrency();
		this.prefetch = options.prefetch();
	}

	/**
	 * Record how long one message took, from taking it to its acknowledgement.
	 * @param nanos the time taken
	 */
	void handled(long nanos) {
		long average = this.averageNanos;
		this.averageNanos = (average < 0) ? nanos : average + ((nanos - average) >> SMOOTHING_SHIFT);
	}

	/**
	 * Return how many messages to hold at most, handled or buffered.
	 * @return between the concurrency and the prefetch
	 */
	int holdLimit() {
		return this.concurrency + Math.min(bufferTarget(), this.prefetch - this.concurrency);
	}

	/**
	 * Return how many of the free slots to fill without holding more than the limit.
	 * @param free the free slots (the others are held: handled or buffered)
	 * @return how many messages to fetch
	 */
	int fetchable(int free) {
		int held = this.prefetch - free;
		return Math.max(0, Math.min(free, holdLimit() - held));
	}

	/**
	 * Return how many messages may wait in the buffer before the next fetch: half of
	 * those the limit allows beyond the running handlers.
	 * @return the low water mark of the buffer
	 */
	int lowWater() {
		return (holdLimit() - this.concurrency) / 2;
	}

	private int bufferTarget() {
		long average = this.averageNanos;
		if (average < 0) {
			return this.concurrency;
		}
		long inWindow = this.concurrency * (WINDOW_NANOS / Math.max(average, 1));
		return (int) Math.max(1, Math.min(inWindow, Integer.MAX_VALUE));
	}

}
