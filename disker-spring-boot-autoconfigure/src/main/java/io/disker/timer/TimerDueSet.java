package io.disker.timer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.disker.queue.support.DueScheduler;
import io.disker.queue.support.DueSet;

/**
 * The due events of a timer namespace, promoted by the {@link DueScheduler} like every
 * other due-time based entry of Disker: at its due time, each event is fired into the
 * namespace's queue, where exactly one listener takes it.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class TimerDueSet implements DueSet {

	/**
	 * Events fired per script run: one run keeps Redis busy for well under a millisecond,
	 * so listeners' fetches interleave with a burst being fired (25 per run was slower
	 * again).
	 */
	static final int BATCH = 100;

	private final TimerStore store;

	private final Consumer<Throwable> failureListener;

	private final AtomicBoolean failing = new AtomicBoolean();

	/**
	 * Create the set.
	 * @param store the namespace's store
	 * @param failureListener told when promoting starts to fail (not on every failure)
	 */
	TimerDueSet(TimerStore store, Consumer<Throwable> failureListener) {
		this.store = store;
		this.failureListener = failureListener;
	}

	@Override
	public String id() {
		return this.store.dueSetId();
	}

	@Override
	public CompletableFuture<Long> promote() {
		return this.store.promote(BATCH).whenComplete((result, ex) -> {
			if (ex == null) {
				this.failing.set(false);
			}
			else if (this.failing.compareAndSet(false, true)) {
				this.failureListener.accept(ex);
			}
		}).thenApply((result) -> (result.get(0) == BATCH) ? 0L : result.get(1));
	}

}
