package io.disker.test;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A point in time by which something must have happened, for readiness checks that have
 * no event to wait on (a port starting to answer, a process changing state).
 *
 * @author Disker team
 * @since 0.1.0
 */
final class Deadline {

	private static final Duration POLL_INTERVAL = Duration.ofMillis(10);

	private final long deadlineNanos;

	private Deadline(Duration timeout) {
		this.deadlineNanos = System.nanoTime() + timeout.toNanos();
	}

	static Deadline after(Duration timeout) {
		return new Deadline(timeout);
	}

	boolean hasPassed() {
		return System.nanoTime() - this.deadlineNanos >= 0;
	}

	long remainingNanos() {
		return Math.max(0, this.deadlineNanos - System.nanoTime());
	}

	/**
	 * Poll {@code condition} until it holds or {@code timeout} passes.
	 * @param timeout the timeout
	 * @param condition the condition
	 * @return whether the condition held in time
	 */
	static boolean await(Duration timeout, BooleanSupplier condition) {
		Deadline deadline = after(timeout);
		while (!condition.getAsBoolean()) {
			if (deadline.hasPassed()) {
				return false;
			}
			pause();
		}
		return true;
	}

	static void pause() {
		try {
			Thread.sleep(POLL_INTERVAL.toMillis());
		}
		catch (InterruptedException ex) {
			throw interrupted(ex);
		}
	}

	/**
	 * Restore the interrupt flag and turn the exception into an unchecked one.
	 * @param ex the ex
	 * @return the exception to throw
	 */
	static IllegalStateException interrupted(InterruptedException ex) {
		Thread.currentThread().interrupt();
		return new IllegalStateException("Interrupted while waiting", ex);
	}

}
