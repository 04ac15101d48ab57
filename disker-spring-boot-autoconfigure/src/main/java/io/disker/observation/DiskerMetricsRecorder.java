package io.disker.observation;

/**
 * Receives the counts and timings Disker produces. Every method does nothing by default;
 * the Micrometer binding implements them. Implementations must be fast and must not
 * throw.
 *
 * @author Disker team
 * @since 0.1.0
 */
public interface DiskerMetricsRecorder {

	/**
	 * A recorder that records nothing.
	 */
	DiskerMetricsRecorder NONE = new DiskerMetricsRecorder() {
	};

	/**
	 * A message was sent (Redis holds it).
	 * @param queue the queue
	 */
	default void sent(String queue) {
	}

	/**
	 * A consumer took a message and is about to handle it.
	 * @param queue the queue
	 */
	default void received(String queue) {
	}

	/**
	 * Messages were acknowledged.
	 * @param queue the queue
	 * @param count how many
	 */
	default void acknowledged(String queue, int count) {
	}

	/**
	 * Acknowledgements arrived for messages that had already been recovered.
	 * @param queue the queue
	 * @param count how many
	 */
	default void staleAcknowledgements(String queue, int count) {
	}

	/**
	 * A failed message was scheduled for another attempt.
	 * @param queue the queue
	 */
	default void retried(String queue) {
	}

	/**
	 * A message's deadline passed before it was handled; it was not delivered.
	 * @param queue the queue
	 */
	default void expired(String queue) {
	}

	/**
	 * A message went to the dead-letter list.
	 * @param queue the queue
	 * @param reason the reason code
	 */
	default void deadLettered(String queue, String reason) {
	}

	/**
	 * Dead-letter entries were dropped because the list reached its cap.
	 * @param queue the queue
	 * @param count how many
	 */
	default void deadLettersDropped(String queue, long count) {
	}

	/**
	 * Messages of dead consumers went back to the queue.
	 * @param queue the queue
	 * @param count how many
	 */
	default void redelivered(String queue, long count) {
	}

	/**
	 * A listener finished handling a message.
	 * @param queue the queue
	 * @param nanos how long it ran
	 * @param outcome {@code success} or {@code failure}
	 */
	default void handled(String queue, long nanos, String outcome) {
	}

	/**
	 * A request completed.
	 * @param queue the queue
	 * @param nanos the round-trip time
	 * @param outcome {@code reply}, {@code timeout} or {@code error}
	 */
	default void requestCompleted(String queue, long nanos, String outcome) {
	}

	/**
	 * A reply arrived after its request had timed out, or for an unknown request.
	 */
	default void lateReply() {
	}

	/**
	 * A timer event was delivered to a listener.
	 * @param namespace the timer namespace
	 * @param latenessMillis delivery time minus due time (Redis clock)
	 * @param numRetries 0 for the first delivery, then 1, 2, … for unconfirmed re-fires
	 */
	default void timerFired(String namespace, long latenessMillis, int numRetries) {
	}

}
