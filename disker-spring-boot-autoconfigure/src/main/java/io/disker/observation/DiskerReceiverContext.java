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

	/**
	 * Create a context.
	 * @param message the received message
	 * @param listenerId the id of the container handling it
	 */
	public DiskerReceiverContext(DiskerMessage<?> message, String listenerId) {
		super((carrier, key) -> carrier.header(key));
		setCarrier(message);
		setRemoteServiceName("redis");
		this.message = message;
		this.listenerId = listenerId;
	}

	public DiskerMessage<?> getMessage() {
		return this.message;
	}

	public String getListenerId() {
		return this.listenerId;
	}

}
