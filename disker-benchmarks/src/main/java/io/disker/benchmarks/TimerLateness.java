package io.disker.benchmarks;

import io.disker.timer.TimerEvent;

/**
 * The lateness of one run against the due time Redis computed, and against the time
 * {@code postAll} was called plus the delay: what a client of the timer sees, and how
 * other libraries' benchmarks measure it.
 *
 * @param due against {@link TimerEvent#dueAt()}
 * @param fromPost against the post call plus the delay
 */
record TimerLateness(Deliveries.Lateness due, Deliveries.Lateness fromPost) {

	long early() {
		return this.due.early();
	}

	@Override
	public String toString() {
		return this.due + "; from the post call: " + this.fromPost;
	}

}
