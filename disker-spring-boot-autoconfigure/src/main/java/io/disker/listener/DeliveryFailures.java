package io.disker.listener;

import java.time.Instant;

import io.disker.core.DeadLetter;
import io.disker.core.DiskerMessage;
import io.disker.core.support.DeadLetterReason;
import io.disker.core.support.RemoteError;
import io.disker.queue.support.Delivery;
import io.disker.queue.support.QueueConsumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.core.log.LogAccessor;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.invocation.MethodArgumentResolutionException;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Decides what happens to a message that could not be handled: a retry scheduled in Redis
 * with back-off, or the dead-letter list with a machine-readable reason. Messages that
 * can never succeed (unreadable, unconvertible, not retryable) go to the dead-letter list
 * at once. A requester waiting for the message learns of the final failure.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class DeliveryFailures {

	private static final LogAccessor logger = new LogAccessor(DeliveryFailures.class);

	private final String queue;

	private final RetryPolicy retryPolicy;

	private final ListenerSupport support;

	DeliveryFailures(String queue, RetryPolicy retryPolicy, ListenerSupport support) {
		this.queue = queue;
		this.retryPolicy = retryPolicy;
		this.support = support;
	}

	/**
	 * Handle a listener failure.
	 * @param delivery the delivery
	 * @param consumer the consumer
	 * @param message the message
	 * @param ex the ex
	 */
	void failed(Delivery delivery, QueueConsumer consumer, DiskerMessage<JsonNode> message, Throwable ex) {
		if (ex instanceof UnknownTaskException) {
			logger.warn(() -> "Message " + message.id() + " goes to the dead-letter list: " + ex.getMessage());
			giveUp(delivery, consumer, message, DeadLetterReason.NO_HANDLER, ex);
			return;
		}
		if (isConversionFailure(ex)) {
			logger.warn(() -> "Message " + message.id() + " on queue '" + this.queue
					+ "' does not convert to the listener's parameter type; it goes to the dead-letter list: "
					+ ex.getMessage());
			giveUp(delivery, consumer, message, DeadLetterReason.CONVERSION, ex);
			return;
		}
		if (!this.retryPolicy.shouldRetry(ex)) {
			logger.warn(() -> "Listener of queue '" + this.queue + "' failed on message " + message.id() + " with " + ex
					+ ", which is not retried; it goes to the dead-letter list");
			logger.debug(ex, "Not retried");
			giveUp(delivery, consumer, message, DeadLetterReason.NOT_RETRYABLE, ex);
			return;
		}
		long backOff = backOff(message.attempt());
		if (backOff == BackOffExecution.STOP) {
			logger.warn(ex, () -> "Listener of queue '" + this.queue + "' failed on message " + message.id()
					+ " at its last attempt (" + message.attempt() + "); it goes to the dead-letter list");
			giveUp(delivery, consumer, message, DeadLetterReason.FAILED, ex);
			return;
		}
		logger.info(() -> "Listener of queue '" + this.queue + "' failed on message " + message.id() + " (attempt "
				+ message.attempt() + "): " + ex + "; retrying in " + backOff + " ms");
		byte[] next = this.support.codec().encode(message.nextAttempt());
		consumer.retry(delivery, next, backOff).whenComplete((scheduled, failure) -> {
			if (failure != null) {
				logger.error(failure, () -> "Could not schedule the retry of message " + message.id() + " on queue '"
						+ this.queue + "'; it stays held and is recovered when this consumer's lease ends");
			}
			else if (scheduled) {
				this.support.queues().metrics().retried(this.queue);
			}
		});
	}

	/**
	 * Handle a message that cannot be read at all.
	 * @param delivery the delivery
	 * @param consumer the consumer
	 * @param reason the reason
	 * @param ex the ex
	 */
	void unreadable(Delivery delivery, QueueConsumer consumer, DeadLetterReason reason, Throwable ex) {
		logger.warn(() -> "Unreadable message on queue '" + this.queue + "' goes to the dead-letter list ("
				+ reason.code() + "): " + ex.getMessage());
		deadLetter(delivery, consumer, reason, ex, null);
	}

	private void giveUp(Delivery delivery, QueueConsumer consumer, DiskerMessage<JsonNode> message,
			DeadLetterReason reason, Throwable ex) {
		if (this.support.replies().isAwaited(message)) {
			this.support.replies().replyError(message, RemoteError.of(ex));
		}
		deadLetter(delivery, consumer, reason, ex, message);
	}

	private void deadLetter(Delivery delivery, QueueConsumer consumer, DeadLetterReason reason, Throwable ex,
			@Nullable DiskerMessage<JsonNode> message) {
		DeadLetter entry = new DeadLetter(this.queue, reason.code(), ex.getClass().getName(), ex.getMessage(),
				(message != null) ? message.attempt() : 0, Instant.ofEpochMilli(this.support.queues().clock().millis()),
				(message != null) ? message.id() : null, delivery.raw());
		consumer.deadLetter(delivery, this.support.deadLetterCodec().encode(entry), this.support.deadLetterMaxLength())
			.whenComplete((moved, failure) -> {
				if (failure != null) {
					logger.error(failure, () -> "Could not dead-letter a message of queue '" + this.queue
							+ "'; it stays held and is recovered when this consumer's lease ends");
				}
				else if (moved) {
					this.support.queues().metrics().deadLettered(this.queue, reason.code());
				}
			});
	}

	private long backOff(int attempt) {
		BackOffExecution execution = this.retryPolicy.getBackOff().start();
		long backOff = BackOffExecution.STOP;
		for (int i = 0; i < attempt; i++) {
			backOff = execution.nextBackOff();
			if (backOff == BackOffExecution.STOP) {
				break;
			}
		}
		return backOff;
	}

	static boolean isConversionFailure(Throwable ex) {
		return ex instanceof MessageConversionException || ex instanceof MethodArgumentResolutionException
				|| ex instanceof PayloadConversionException;
	}

}
