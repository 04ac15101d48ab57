package io.disker.observation;

import io.disker.core.DiskerMessage;
import io.micrometer.observation.transport.ReceiverContext;

/**
 * Observation context of one delivery attempt to a listener; tracing handlers read the
 * sender's trace context from the message headers, so each attempt is a new span of the
 * same trace.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class DiskerReceiverContext extends ReceiverContext<DiskerMessage<?>> {

	private final DiskerMessage<?> message;

	private final String listenerId;

	private final String queue;

	/**
	 * Create a context.
	 * @param message the received message
	 * @param listenerId the id of the container handling it
	 */
	public DiskerReceiverContext(DiskerMessage<?> message, String listenerId) {
		this(message, listenerId, message.queue());
	}

	/**
	 * Create a context for a queue whose metrics name differs from the message's queue
	 * field (an internal queue, such as {@code t:<namespace>} for a timer's events).
	 * @param message the received message
	 * @param listenerId the id of the container handling it
	 * @param queue the queue as metrics name it
	 */
	public DiskerReceiverContext(DiskerMessage<?> message, String listenerId, String queue) {
		super((carrier, key) -> carrier.header(key));
		setCarrier(message);
		setRemoteServiceName("redis");
		this.message = message;
		this.listenerId = listenerId;
		this.queue = queue;
	}

	/**
	 * Return the queue as metrics and the actuator name it.
	 * @return the queue name
	 */
	public String getQueue() {
		return this.queue;
	}

	public DiskerMessage<?> getMessage() {
		return this.message;
	}

	public String getListenerId() {
		return this.listenerId;
	}

}
