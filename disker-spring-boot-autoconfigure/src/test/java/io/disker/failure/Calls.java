package io.disker.failure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * What listeners saw, in order: one {@link Call} per invocation.
 */
final class Calls {

	private final List<Call> calls = new CopyOnWriteArrayList<>();

	void add(String queue, String id, Object payload, int attempt, long millis) {
		this.calls.add(new Call(queue, id, String.valueOf(payload), attempt, millis, Thread.currentThread()));
	}

	List<Call> all() {
		return List.copyOf(this.calls);
	}

	List<Call> of(String queue) {
		return filter((call) -> call.queue().equals(queue));
	}

	List<Call> filter(Predicate<Call> predicate) {
		return this.calls.stream().filter(predicate).toList();
	}

	int count(String queue) {
		return of(queue).size();
	}

	void clear() {
		this.calls.clear();
	}

	/**
	 * One listener invocation.
	 *
	 * @param queue the queue
	 * @param id the message id
	 * @param payload the payload as text
	 * @param attempt the delivery attempt
	 * @param millis when the listener started, in milliseconds of the clock the test
	 * chose (usually Redis)
	 * @param thread the handler thread
	 */
	record Call(String queue, String id, String payload, int attempt, long millis, Thread thread) {

	}

}
