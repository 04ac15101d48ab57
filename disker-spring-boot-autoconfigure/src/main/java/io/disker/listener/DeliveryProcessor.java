package io.disker.listener;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.disker.core.DiskerMessage;
import io.disker.core.support.InboundMessage;
import io.disker.core.support.MalformedMessageException;
import io.disker.observation.DefaultDiskerListenerObservationConvention;
import io.disker.observation.DiskerListenerObservation;
import io.disker.observation.DiskerMetricsRecorder;
import io.disker.observation.DiskerObservations;
import io.disker.observation.DiskerReceiverContext;
import io.disker.queue.support.Delivery;
import io.disker.queue.support.QueueConsumer;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.core.log.LogAccessor;
import org.springframework.messaging.MessagingException;

/**
 * Handles one delivery: decode (size first), drop it if its deadline passed, invoke the
 * listener (interrupting it at the processing timeout), send the reply, acknowledge.
 * Failures go to {@link DeliveryFailures}; no exception escapes to the handler thread.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class DeliveryProcessor {

	private static final LogAccessor logger = new LogAccessor(DeliveryProcessor.class);

	private final String queue;

	private final String listenerId;

	private final DiskerMessageListener listener;

	private final ListenerSupport support;

	private final DeliveryFailures failures;

	private final @Nullable Duration timeout;

	private final boolean honorDeadlines;

	DeliveryProcessor(String queue, String listenerId, DiskerMessageListener listener, ContainerOptions options,
			ListenerSupport support, boolean honorDeadlines) {
		this.queue = queue;
		this.listenerId = listenerId;
		this.listener = listener;
		this.support = support;
		this.failures = new DeliveryFailures(queue, options.retryPolicy(), support);
		this.timeout = options.timeout();
		this.honorDeadlines = honorDeadlines;
	}

	/**
	 * Process a delivery on the calling thread.
	 * @param delivery the delivery
	 * @param consumer the consumer holding it
	 * @param onTimeout run (from another thread) when the processing timeout frees this
	 * thread's slot; the calling thread must then stop taking messages
	 * @return what happened
	 */
	Outcome process(Delivery delivery, QueueConsumer consumer, Runnable onTimeout) {
		InboundMessage inbound;
		try {
			inbound = this.support.codec().decode(delivery.raw());
		}
		catch (MalformedMessageException ex) {
			this.failures.unreadable(delivery, consumer, ex.getReason(), ex);
			return Outcome.SKIPPED;
		}
		DiskerMessage<JsonNode> message = inbound.message();
		if (this.honorDeadlines && isExpired(message)) {
			metrics().expired(this.queue);
			logger.debug(() -> "Message " + message.id() + " on queue '" + this.queue + "' expired before delivery");
			consumer.acknowledge(delivery);
			return Outcome.SKIPPED;
		}
		metrics().received(this.queue);
		Observation observation = observation(message);
		try (Observation.Scope scope = observation.openScope()) {
			return invoke(delivery, consumer, message, onTimeout, observation);
		}
		finally {
			observation.stop();
		}
	}

	private Outcome invoke(Delivery delivery, QueueConsumer consumer, DiskerMessage<JsonNode> message,
			Runnable onTimeout, Observation observation) {
		Attempt attempt = new Attempt(Thread.currentThread());
		ScheduledFuture<?> watchdog = watch(attempt, delivery, consumer, message, onTimeout);
		long start = System.nanoTime();
		try {
			Object result = this.listener.onMessage(message);
			if (!attempt.finish()) {
				return Outcome.TIMED_OUT;
			}
			metrics().handled(this.queue, System.nanoTime() - start, "success");
			if (result != null) {
				sendReply(message, result);
			}
			consumer.acknowledge(delivery);
		}
		catch (Throwable ex) {
			observation.error(unwrap(ex));
			if (!attempt.finish()) {
				Thread.interrupted();
				return Outcome.TIMED_OUT;
			}
			metrics().handled(this.queue, System.nanoTime() - start, "failure");
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			this.failures.failed(delivery, consumer, message, unwrap(ex));
		}
		finally {
			if (watchdog != null) {
				watchdog.cancel(false);
			}
		}
		return Outcome.HANDLED;
	}

	private Observation observation(DiskerMessage<JsonNode> message) {
		DiskerObservations observations = this.support.observations();
		if (!observations.isEnabled()) {
			return Observation.NOOP;
		}
		return DiskerListenerObservation.LISTENER_OBSERVATION
			.observation(observations.listenerConvention(), DefaultDiskerListenerObservationConvention.INSTANCE,
					() -> new DiskerReceiverContext(message, this.listenerId, this.queue), observations.registry())
			.start();
	}

	private @Nullable ScheduledFuture<?> watch(Attempt attempt, Delivery delivery, QueueConsumer consumer,
			DiskerMessage<JsonNode> message, Runnable onTimeout) {
		Duration limit = this.timeout;
		if (limit == null) {
			return null;
		}
		return this.support.queues().scheduler().schedule(() -> {
			if (attempt.timeOut()) {
				logger.warn(() -> "Listener of queue '" + this.queue + "' ran past its timeout of " + limit.toMillis()
						+ " ms on message " + message.id() + "; interrupting it and moving on");
				attempt.thread.interrupt();
				metrics().handled(this.queue, limit.toNanos(), "timeout");
				onTimeout.run();
				this.failures.failed(delivery, consumer, message, new ListenerTimeoutException(this.queue, limit));
			}
		}, limit.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void sendReply(DiskerMessage<JsonNode> message, Object result) {
		if (!this.support.replies().hasReplyAddress(message)) {
			logger.debug(() -> "Listener of queue '" + this.queue + "' returned a value for message " + message.id()
					+ ", which has no reply address; the value is ignored");
			return;
		}
		this.support.replies().reply(message, result).whenComplete((done, ex) -> {
			if (ex != null) {
				logger.warn(ex, () -> "Reply to message " + message.id() + " on queue '" + this.queue + "' failed");
			}
		});
	}

	private boolean isExpired(DiskerMessage<JsonNode> message) {
		Instant deadline = message.deadline();
		return deadline != null && deadline.toEpochMilli() <= this.support.queues().clock().millis();
	}

	private static Throwable unwrap(Throwable ex) {
		Throwable current = ex;
		while (current instanceof MessagingException && current.getCause() != null
				&& !DeliveryFailures.isConversionFailure(current)) {
			current = current.getCause();
		}
		return current;
	}

	private DiskerMetricsRecorder metrics() {
		return this.support.queues().metrics();
	}

	/**
	 * What happened to a delivery.
	 */
	enum Outcome {

		/** A listener ran (successfully or not). */
		HANDLED,

		/** No listener ran: the message was unreadable or expired. */
		SKIPPED,

		/** The listener ran past its timeout; the slot was given away. */
		TIMED_OUT

	}

	/**
	 * Settles the race between a handler finishing and its timeout firing.
	 */
	private static final class Attempt {

		private static final int RUNNING = 0;

		private static final int FINISHED = 1;

		private static final int TIMED_OUT = 2;

		private final Thread thread;

		private final AtomicInteger state = new AtomicInteger(RUNNING);

		Attempt(Thread thread) {
			this.thread = thread;
		}

		boolean finish() {
			return this.state.compareAndSet(RUNNING, FINISHED);
		}

		boolean timeOut() {
			return this.state.compareAndSet(RUNNING, TIMED_OUT);
		}

	}

}
