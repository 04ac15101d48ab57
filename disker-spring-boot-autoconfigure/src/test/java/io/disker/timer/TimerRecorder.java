package io.disker.timer;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.disker.annotation.TimerListener;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.messaging.handler.annotation.Header;

/**
 * A {@code @TimerListener} of the default namespace that records every delivery, then
 * runs the behaviour a test set (throw, sleep, confirm).
 */
public class TimerRecorder {

	private final String node;

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private volatile Behaviour behaviour = (event) -> {
	};

	public TimerRecorder(String node) {
		this.node = node;
	}

	@TimerListener
	public void onEvent(TimerEvent<JsonNode> event,
			@Header(name = TimerDelivery.FIRED_AT, required = false) @Nullable String firedAt) throws Exception {
		long nanos = System.nanoTime();
		this.received.add(new Received(this.node, event.id(), event.event(), event.numRetries(), event.maxRetries(),
				event.dueAt(), nanos, (firedAt != null) ? Long.parseLong(firedAt) : -1));
		this.behaviour.handle(event);
	}

	public void behave(Behaviour behaviour) {
		this.behaviour = behaviour;
	}

	public void reset() {
		this.behaviour = (event) -> {
		};
		this.received.clear();
	}

	public String node() {
		return this.node;
	}

	public List<Received> all() {
		return List.copyOf(this.received);
	}

	public List<Received> of(String id) {
		return this.received.stream().filter((each) -> each.id().equals(id)).toList();
	}

	public int count(String id) {
		return of(id).size();
	}

	/**
	 * What the listener does after recording a delivery.
	 */
	@FunctionalInterface
	public interface Behaviour {

		void handle(TimerEvent<JsonNode> event) throws Exception;

	}

	/**
	 * One delivery, with the local monotonic time it reached the listener and the Redis
	 * time (ms) the timer fired it at.
	 */
	public record Received(String node, String id, JsonNode event, int numRetries, int maxRetries, Instant dueAt,
			long nanos, long firedAtMillis) {

	}

}
