package io.disker.listener;

import java.time.Instant;

import io.disker.core.DeadLetter;
import io.disker.core.DiskerMessage;
import io.disker.core.support.DeadLetterReason;
import io.disker.core.support.InboundMessage;
import io.disker.core.support.MalformedMessageException;
import io.disker.core.support.RemoteError;
import io.disker.observation.DiskerMetricsRecorder;
import io.disker.queue.Delivery;
import io.disker.queue.QueueConsumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.core.log.LogAccessor;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.invocation.MethodArgumentResolutionException;

/**
 * Handles one delivery: decode (size first), drop it if its deadline passed, invoke the
 * listener, send the reply, acknowledge. Anything that cannot be handled goes to the
 * dead-letter list with its reason; no exception escapes to the handler thread.
 */
final class DeliveryProcessor {

	private static final LogAccessor logger = new LogAccessor(DeliveryProcessor.class);

	private final String queue;

	private final DiskerMessageListener listener;

	private final ListenerSupport support;

	DeliveryProcessor(String queue, DiskerMessageListener listener, ListenerSupport support) {
		this.queue = queue;
		this.listener = listener;
		this.support = support;
	}

	/**
	 * Process a delivery.
	 * @return whether a listener ran (expired and unreadable messages do not count)
	 */
	boolean process(Delivery delivery, QueueConsumer consumer) {
		InboundMessage inbound;
		try {
			inbound = this.support.codec().decode(delivery.raw());
		}
		catch (MalformedMessageException ex) {
			logger.warn(() -> "Unreadable message on queue '" + this.queue + "' goes to the dead-letter list: "
					+ ex.getMessage());
			deadLetter(delivery, consumer, ex.getReason(), ex, null);
			return false;
		}
		DiskerMessage<JsonNode> message = inbound.message();
		if (isExpired(message)) {
			metrics().expired(this.queue);
			logger.debug(() -> "Message " + message.id() + " on queue '" + this.queue + "' expired before delivery");
			consumer.acknowledge(delivery);
			return false;
		}
		metrics().received(this.queue);
		long start = System.nanoTime();
		try {
			Object result = this.listener.onMessage(message);
			metrics().handled(this.queue, System.nanoTime() - start, "success");
			if (result != null) {
				sendReply(message, result);
			}
			consumer.acknowledge(delivery);
		}
		catch (Throwable ex) {
			metrics().handled(this.queue, System.nanoTime() - start, "failure");
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			failed(delivery, consumer, message, unwrap(ex));
		}
		return true;
	}

	private void failed(Delivery delivery, QueueConsumer consumer, DiskerMessage<JsonNode> message, Throwable ex) {
		DeadLetterReason reason = isConversionFailure(ex) ? DeadLetterReason.CONVERSION : DeadLetterReason.FAILED;
		logger.warn(ex, () -> "Listener of queue '" + this.queue + "' failed on message " + message.id()
				+ "; it goes to the dead-letter list (" + reason.code() + ")");
		if (this.support.replies().isAwaited(message)) {
			this.support.replies().replyError(message, RemoteError.of(ex));
		}
		deadLetter(delivery, consumer, reason, ex, message);
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
					metrics().deadLettered(this.queue, reason.code());
				}
			});
	}

	private boolean isExpired(DiskerMessage<JsonNode> message) {
		Instant deadline = message.deadline();
		return deadline != null && deadline.toEpochMilli() <= this.support.queues().clock().millis();
	}

	private static boolean isConversionFailure(Throwable ex) {
		return ex instanceof MessageConversionException || ex instanceof MethodArgumentResolutionException
				|| ex instanceof PayloadConversionException;
	}

	private static Throwable unwrap(Throwable ex) {
		Throwable current = ex;
		while (current instanceof MessagingException && current.getCause() != null
				&& !isConversionFailure(current)) {
			current = current.getCause();
		}
		return current;
	}

	private DiskerMetricsRecorder metrics() {
		return this.support.queues().metrics();
	}

}
