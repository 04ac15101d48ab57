package io.disker.boot.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Every listener run of a test context, in the order they finished, and a way to wait for
 * more.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class ListenerRecorder {

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private final List<HandledMessage> runs = new ArrayList<>();

	void record(HandledMessage run) {
		this.lock.lock();
		try {
			this.runs.add(run);
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	List<HandledMessage> runs(String queue) {
		this.lock.lock();
		try {
			return this.runs.stream().filter((run) -> run.queue().equals(queue)).toList();
		}
		finally {
			this.lock.unlock();
		}
	}

	void clear() {
		this.lock.lock();
		try {
			this.runs.clear();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Wait until a function of a queue's runs answers something.
	 * @param <T> the answer type
	 * @param queue the queue
	 * @param answer a function of the runs so far, {@code null} for not yet
	 * @param timeout how long to wait
	 * @return the answer, or {@code null} after the timeout
	 * @throws InterruptedException if interrupted while waiting
	 */
	<T> @Nullable T await(String queue, Function<List<HandledMessage>, @Nullable T> answer, Duration timeout)
			throws InterruptedException {
		long remaining = timeout.toNanos();
		this.lock.lock();
		try {
			while (true) {
				T result = answer.apply(runs(queue));
				if (result != null || remaining <= 0) {
					return result;
				}
				remaining = this.changed.awaitNanos(remaining);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

}
