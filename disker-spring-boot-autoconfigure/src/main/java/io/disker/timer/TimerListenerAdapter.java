package io.disker.timer;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import io.disker.core.DiskerHeaders;
import io.disker.core.DiskerMessage;
import io.disker.listener.DiskerMessageListener;
import io.disker.listener.adapter.ListenerMessageHeaders;
import io.disker.observation.DiskerMetricsRecorder;
import io.disker.redis.RedisClock;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

import org.springframework.core.log.LogAccessor;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.support.GenericMessage;

/**
 * Hands each fired event of a namespace to every listener method of that namespace on
 * this node, through spring-messaging (parameters: {@code TimerEvent<T>}, the event type,
 * {@code DiskerMessage<T>}, {@code @Header}).
 * <p>
 * (Copies of events with retries left were claimed when fetched, see
 * {@link TimerClaims}.)
 * <p>
 * When every method returned normally, the event is confirmed. When one threw, the others
 * still run, a {@link TimerErrorEvent} is published and the event is not confirmed: with
 * retries left it fires again after the confirm timeout, and the delivery itself is
 * acknowledged (the timer's retries replace the queue's). Without retries left, the
 * failure is rethrown, so the container puts the fired event in the namespace's
 * dead-letter list ({@code disker:t:{ns}:dead}, reason {@code failed}, or
 * {@code conversion} when the event does not convert to a parameter type).
 *
 * @author Disker team
 * @since 0.1.0
 */
final class TimerListenerAdapter implements DiskerMessageListener {

	private static final LogAccessor logger = new LogAccessor(TimerListenerAdapter.class);

	private final DTimer timer;

	private final List<InvocableHandlerMethod> methods;

	private final DiskerMetricsRecorder metrics;

	private final RedisClock clock;

	TimerListenerAdapter(DTimer timer, List<InvocableHandlerMethod> methods, DiskerMetricsRecorder metrics,
			RedisClock clock) {
		this.timer = timer;
		this.methods = methods;
		this.metrics = metrics;
		this.clock = clock;
	}

	@Override
	public @Nullable Object onMessage(DiskerMessage<JsonNode> message) throws Exception {
		TimerDelivery delivery = new TimerDelivery(message, this.timer);
		recordFired(delivery);
		Message<JsonNode> request = toMessage(message, delivery);
		Exception failure = null;
		for (InvocableHandlerMethod method : this.methods) {
			try {
				invoke(method, request);
			}
			catch (Exception ex) {
				failure = (failure != null) ? failure : ex;
				this.timer.publishError(delivery.id(), ex);
			}
		}
		if (failure == null) {
			delivery.confirmInBackground();
			return null;
		}
		if (delivery.hasRetriesLeft()) {
			Exception cause = failure;
			logger.info(() -> "Listener of timer namespace '" + delivery.namespace() + "' failed on event '"
					+ delivery.id() + "' (retry " + delivery.numRetries() + " of " + delivery.maxRetries() + "): "
					+ cause + "; it fires again after the confirm timeout");
			return null;
		}
		throw failure;
	}

	private void recordFired(TimerDelivery delivery) {
		try {
			long lateness = this.clock.millis() - delivery.dueAt().toEpochMilli();
			this.metrics.timerFired(this.timer.getNamespace(), lateness, delivery.numRetries());
		}
		catch (RuntimeException ex) {
			logger.debug(ex, () -> "Recording timer metrics failed");
		}
	}

	private static void invoke(InvocableHandlerMethod method, Message<JsonNode> request) throws Exception {
		Object result = method.invoke(request);
		if (result instanceof CompletionStage<?> stage) {
			try {
				stage.toCompletableFuture().join();
			}
			catch (CompletionException ex) {
				throw (ex.getCause() instanceof Exception cause) ? cause : ex;
			}
		}
	}

	private static Message<JsonNode> toMessage(DiskerMessage<JsonNode> message, TimerDelivery delivery) {
		ListenerMessageHeaders headers = new ListenerMessageHeaders(message.headers(), (map) -> {
			map.put(DiskerHeaders.ID, delivery.id());
			map.put(DiskerHeaders.QUEUE, message.queue());
			map.put(DiskerHeaders.ATTEMPT, message.attempt());
			map.put(DiskerHeaders.MESSAGE, message);
			map.put(TimerEventArgumentResolver.DELIVERY_HEADER, delivery);
		});
		JsonNode payload = (message.payload() != null) ? message.payload() : NullNode.getInstance();
		return new GenericMessage<>(payload, headers);
	}

}
