package io.disker.boot.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.disker.core.DeadLetter;
import io.disker.queue.DeadLetters;
import io.disker.redis.DiskerConnections;
import io.disker.redis.DiskerKeys;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.Assert;

/**
 * What a test of a Disker application needs besides sending: wait until listeners have
 * handled messages, read the dead letters of a queue with their reasons, and make delayed
 * messages and scheduled retries due now instead of waiting for them. A bean of every
 * {@link DiskerTest @DiskerTest} context. <pre class="code">
 * String id = disker.send(DiskerMessage.to("orders").payload(order).delay(Duration.ofHours(1)).build()).join();
 * harness.dueNow("orders", id);
 * Order handled = harness.awaitHandled("orders", id).payload(Order.class);
 * </pre>
 * <p>
 * Listener runs are recorded for every {@code @DiskerListener} method and registered
 * handler of the context; before each test method they are forgotten ({@link #reset()}),
 * so a test sees its own runs even in a cached context that other tests share (a message
 * still in flight from an earlier test may appear). Every {@code await} method waits at
 * most {@link #setTimeout(Duration) the timeout} (10 s by default) and then fails with an
 * {@link AssertionError} that shows what it saw.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class DiskerTestHarness {

	private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

	private final ListenerRecorder recorder;

	private final ObjectProvider<DeadLetters> deadLetters;

	private final ObjectProvider<DiskerConnections> connections;

	private final ObjectProvider<DiskerKeys> keys;

	private volatile Duration timeout = DEFAULT_TIMEOUT;

	DiskerTestHarness(ListenerRecorder recorder, ObjectProvider<DeadLetters> deadLetters,
			ObjectProvider<DiskerConnections> connections, ObjectProvider<DiskerKeys> keys) {
		this.recorder = recorder;
		this.deadLetters = deadLetters;
		this.connections = connections;
		this.keys = keys;
	}

	/**
	 * Set how long the {@code await} methods wait.
	 * @param timeout the timeout (default 10 s)
	 */
	public void setTimeout(Duration timeout) {
		Assert.isTrue(!timeout.isNegative() && !timeout.isZero(), "'timeout' must be positive");
		this.timeout = timeout;
	}

	/**
	 * Forget every listener run recorded so far.
	 */
	public void reset() {
		this.recorder.clear();
	}

	// listeners

	/**
	 * Return every listener run on a queue's messages so far, successful or not, in the
	 * order they finished.
	 * @param queue the queue
	 * @return the runs
	 */
	public List<HandledMessage> handled(String queue) {
		return this.recorder.runs(queue);
	}

	/**
	 * Wait until listeners have handled at least {@code count} messages of a queue
	 * successfully (returned normally, so the message is acknowledged).
	 * @param queue the queue
	 * @param count how many
	 * @return the successful runs, at least {@code count}
	 * @throws AssertionError if fewer were handled within the timeout
	 */
	public List<HandledMessage> awaitHandled(String queue, int count) {
		Assert.isTrue(count > 0, "'count' must be positive");
		return awaitRuns(queue, (runs) -> {
			List<HandledMessage> succeeded = runs.stream().filter(HandledMessage::succeeded).toList();
			return (succeeded.size() >= count) ? succeeded : null;
		}, () -> count + " message(s) handled successfully");
	}

	/**
	 * Wait until a listener has handled one message successfully.
	 * @param queue the queue
	 * @param messageId the message id (what {@code send} completed with)
	 * @return the run
	 * @throws AssertionError if it was not handled within the timeout
	 */
	public HandledMessage awaitHandled(String queue, String messageId) {
		return awaitHandled(queue, (run) -> run.id().equals(messageId));
	}

	/**
	 * Wait until a listener has handled successfully a message that matches.
	 * @param queue the queue
	 * @param condition what the run must satisfy, such as
	 * {@code (run) -> run.payload(Order.class).id() == 42}
	 * @return the first matching run
	 * @throws AssertionError if no such message was handled within the timeout
	 */
	public HandledMessage awaitHandled(String queue, Predicate<HandledMessage> condition) {
		return awaitRuns(queue, (runs) -> first(runs, (run) -> run.succeeded() && condition.test(run)),
				() -> "a matching message handled successfully");
	}

	/**
	 * Wait until a listener has thrown on a message (an attempt failed; it is retried or
	 * dead-lettered).
	 * @param queue the queue
	 * @param messageId the message id
	 * @return the first failed run of that message
	 * @throws AssertionError if no run failed within the timeout
	 */
	public HandledMessage awaitFailed(String queue, String messageId) {
		return awaitRuns(queue, (runs) -> first(runs, (run) -> !run.succeeded() && run.id().equals(messageId)),
				() -> "a failed run of message " + messageId);
	}

	// dead letters

	/**
	 * Return the dead letters of a queue, oldest first, each with its reason (such as
	 * {@code failed} or {@code conversion}), error and attempt count.
	 * @param queue the queue
	 * @return the entries
	 */
	public List<DeadLetter> deadLetters(String queue) {
		DeadLetters letters = this.deadLetters.getObject();
		long count = letters.count(queue);
		if (count == 0) {
			return List.of();
		}
		List<DeadLetter> newestFirst = new ArrayList<>(letters.list(queue, 0, (int) Math.min(count, 10_000)));
		Collections.reverse(newestFirst);
		return List.copyOf(newestFirst);
	}

	/**
	 * Wait until a queue's dead-letter list holds at least {@code count} entries.
	 * @param queue the queue
	 * @param count how many
	 * @return the entries, oldest first
	 * @throws AssertionError if fewer arrived within the timeout
	 */
	public List<DeadLetter> awaitDeadLetters(String queue, int count) {
		Assert.isTrue(count > 0, "'count' must be positive");
		return poll(() -> {
			List<DeadLetter> letters = deadLetters(queue);
			return (letters.size() >= count) ? letters : null;
		}, () -> count + " dead letter(s) of queue '" + queue + "'; it holds " + deadLetters(queue));
	}

	/**
	 * Wait until a message is in a queue's dead-letter list.
	 * @param queue the queue
	 * @param messageId the message id
	 * @return its entry
	 * @throws AssertionError if it did not arrive within the timeout
	 */
	public DeadLetter awaitDeadLetter(String queue, String messageId) {
		return poll(
				() -> deadLetters(queue).stream()
					.filter((letter) -> messageId.equals(letter.messageId()))
					.findFirst()
					.orElse(null),
				() -> "dead letter of message " + messageId + " in queue '" + queue + "'; it holds "
						+ deadLetters(queue));
	}

	// delayed messages

	/**
	 * Make every delayed message and scheduled retry of a queue due now: they move to the
	 * queue in the order they were due, and its consumers take them at once.
	 * @param queue the queue
	 * @return how many moved
	 */
	public long dueNow(String queue) {
		return delayed().dueNow(queue, "");
	}

	/**
	 * Make one delayed message (or the scheduled retry of a failed one) due now.
	 * @param queue the queue
	 * @param messageId the message id
	 * @return whether it was waiting and now moved to the queue
	 */
	public boolean dueNow(String queue, String messageId) {
		Assert.hasText(messageId, "'messageId' must not be empty");
		return delayed().dueNow(queue, messageId) > 0;
	}

	/**
	 * Return how many delayed messages and scheduled retries of a queue wait for their
	 * time.
	 * @param queue the queue
	 * @return the count
	 */
	public long delayedCount(String queue) {
		return delayed().count(queue);
	}

	/**
	 * Wait until a retry of a message is scheduled, then make it due now: the next
	 * attempt runs at once instead of after the back-off. Returns as well if the next
	 * attempt started meanwhile on its own.
	 * @param queue the queue
	 * @param messageId the message id
	 * @throws AssertionError if no retry of it was scheduled within the timeout
	 */
	public void retryNow(String queue, String messageId) {
		long runsBefore = runsOf(queue, messageId);
		poll(() -> (dueNow(queue, messageId) || runsOf(queue, messageId) > runsBefore) ? Boolean.TRUE : null,
				() -> "a scheduled retry of message " + messageId + " in queue '" + queue + "'");
	}

	private long runsOf(String queue, String messageId) {
		return handled(queue).stream().filter((run) -> run.id().equals(messageId)).count();
	}

	private DelayedMessagesDue delayed() {
		return new DelayedMessagesDue(this.connections.getObject(), this.keys.getObject());
	}

	private <T> T awaitRuns(String queue, Function<List<HandledMessage>, @Nullable T> answer,
			Supplier<String> expected) {
		T result;
		try {
			result = this.recorder.await(queue, answer, this.timeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting for " + expected.get(), ex);
		}
		if (result == null) {
			throw new AssertionError("Expected " + expected.get() + " of queue '" + queue + "' within " + this.timeout
					+ "; listener runs so far: " + handled(queue));
		}
		return result;
	}

	private <T> T poll(Supplier<@Nullable T> answer, Supplier<String> expected) {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		while (true) {
			T result = answer.get();
			if (result != null) {
				return result;
			}
			if (System.nanoTime() - deadline > 0) {
				throw new AssertionError("Expected " + expected.get() + " within " + this.timeout);
			}
			if (Thread.interrupted()) {
				Thread.currentThread().interrupt();
				throw new AssertionError("Interrupted while waiting for " + expected.get());
			}
			LockSupport.parkNanos(POLL_NANOS);
		}
	}

	private static @Nullable HandledMessage first(List<HandledMessage> runs, Predicate<HandledMessage> condition) {
		return runs.stream().filter(condition).findFirst().orElse(null);
	}

	@Override
	public String toString() {
		return "DiskerTestHarness[timeout=" + this.timeout + "]";
	}

}
