package io.disker.benchmarks;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The deliveries of one run of numbered items (messages or timer events): when each was
 * first handled and when it was due, both on the Redis clock in microseconds, which node
 * handled it, and how many deliveries were repeats.
 */
final class Deliveries {

	private static final long UNKNOWN = Long.MIN_VALUE;

	private final int count;

	private final AtomicIntegerArray deliveries;

	private final AtomicLongArray handledMicros;

	private final AtomicLongArray dueMicros;

	private final AtomicLongArray perNode;

	private final CountDownLatch first;

	private final AtomicLong repeats = new AtomicLong();

	private final AtomicLong unexpected = new AtomicLong();

	private volatile long lastHandledNanos;

	Deliveries(int count, int nodes) {
		this.count = count;
		this.deliveries = new AtomicIntegerArray(count);
		this.handledMicros = new AtomicLongArray(count);
		this.dueMicros = new AtomicLongArray(count);
		for (int i = 0; i < count; i++) {
			this.dueMicros.set(i, UNKNOWN);
		}
		this.perNode = new AtomicLongArray(nodes);
		this.first = new CountDownLatch(count);
	}

	/**
	 * Record a delivery.
	 * @param sequence the item's number
	 * @param handledMicros when the handler got it (Redis clock, µs)
	 * @param dueMicros when it was due (Redis clock, µs), or {@link Long#MIN_VALUE} if
	 * the handler does not know
	 * @param node the node that handled it, from 0
	 */
	void handled(int sequence, long handledMicros, long dueMicros, int node) {
		if (sequence < 0 || sequence >= this.count) {
			this.unexpected.incrementAndGet();
			return;
		}
		this.perNode.incrementAndGet(node);
		if (this.deliveries.getAndIncrement(sequence) == 0) {
			this.handledMicros.set(sequence, handledMicros);
			if (dueMicros != UNKNOWN) {
				this.dueMicros.set(sequence, dueMicros);
			}
			this.lastHandledNanos = System.nanoTime();
			this.first.countDown();
		}
		else {
			this.repeats.incrementAndGet();
		}
	}

	/** Set the due time of an item whose handler did not know it. */
	void due(int sequence, long dueMicros) {
		this.dueMicros.set(sequence, dueMicros);
	}

	/**
	 * @return when the item was first handled (Redis clock, µs)
	 */
	long handledMicros(int sequence) {
		return this.handledMicros.get(sequence);
	}

	boolean hasDue(int sequence) {
		return this.dueMicros.get(sequence) != UNKNOWN;
	}

	/** Wait until every item was handled at least once. */
	boolean await(long timeout, TimeUnit unit) throws InterruptedException {
		return this.first.await(timeout, unit);
	}

	/**
	 * @return {@link System#nanoTime()} when the last item was first handled
	 */
	long lastHandledNanos() {
		return this.lastHandledNanos;
	}

	long distinct() {
		return this.count - this.first.getCount();
	}

	long repeats() {
		return this.repeats.get();
	}

	long unexpected() {
		return this.unexpected.get();
	}

	/**
	 * @return deliveries per node
	 */
	long[] perNode() {
		long[] counts = new long[this.perNode.length()];
		for (int i = 0; i < counts.length; i++) {
			counts[i] = this.perNode.get(i);
		}
		return counts;
	}

	/**
	 * @return the lateness of every item's first delivery: handled minus due
	 * @throws IllegalStateException if an item was not handled or has no due time
	 */
	Lateness lateness() {
		long[] nanos = new long[this.count];
		long early = 0;
		for (int i = 0; i < this.count; i++) {
			if (this.deliveries.get(i) == 0 || this.dueMicros.get(i) == UNKNOWN) {
				throw new IllegalStateException("Item " + i + " was not handled or has no due time");
			}
			long late = this.handledMicros.get(i) - this.dueMicros.get(i);
			if (late < 0) {
				early++;
			}
			nanos[i] = late * 1000;
		}
		return new Lateness(Stats.percentileMillis(nanos, 0.50), Stats.percentileMillis(nanos, 0.99),
				Stats.percentileMillis(nanos, 1.0), nanos[0] / 1e6, early, this.count);
	}

	/**
	 * The lateness of every item's first delivery against other expected times, such as
	 * the time its post was called plus its delay (the way clients of other libraries
	 * measure it).
	 * @param expectedMicros when each item was expected (Redis clock, µs)
	 * @return the lateness: handled minus expected
	 */
	Lateness latenessAgainst(long[] expectedMicros) {
		long[] nanos = new long[this.count];
		long early = 0;
		for (int i = 0; i < this.count; i++) {
			long late = this.handledMicros.get(i) - expectedMicros[i];
			if (late < 0) {
				early++;
			}
			nanos[i] = late * 1000;
		}
		return new Lateness(Stats.percentileMillis(nanos, 0.50), Stats.percentileMillis(nanos, 0.99),
				Stats.percentileMillis(nanos, 1.0), nanos[0] / 1e6, early, this.count);
	}

	@Override
	public String toString() {
		return distinct() + " of " + this.count + " handled, " + this.repeats.get() + " repeated, per node "
				+ Arrays.toString(perNode());
	}

	/**
	 * Lateness percentiles of one run in milliseconds (negative = early), and the number
	 * of items handled before they were due.
	 */
	record Lateness(double p50, double p99, double max, double min, long early, int count) {

		@Override
		public String toString() {
			return String.format(Locale.ROOT,
					"lateness p50=%.2f ms p99=%.2f ms max=%.2f ms min=%.2f ms, early=%d of %d", this.p50, this.p99,
					this.max, this.min, this.early, this.count);
		}

	}

}
