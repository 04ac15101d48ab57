package io.disker.observation;

import java.util.Map;

import io.micrometer.observation.transport.SenderContext;

/**
 * Observation context of a send, request or reply. Its carrier is the message's header
 * map, so tracing handlers write the trace context into the headers that travel with the
 * message.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class DiskerSenderContext extends SenderContext<Map<String, String>> {

	private final String queue;

	private final String messageId;

	private final String operation;

	/**
	 * Create a context.
	 * @param headers the mutable headers of the outgoing message
	 * @param queue the destination queue
	 * @param messageId the message id
	 * @param operation {@code send}, {@code request} or {@code reply}
	 */
	public DiskerSenderContext(Map<String, String> headers, String queue, String messageId, String operation) {
		super((carrier, key, value) -> {
			if (carrier != null) {
				carrier.put(key, value);
			}
		});
		setCarrier(headers);
		setRemoteServiceName("redis");
		this.queue = queue;
		this.messageId = messageId;
		this.operation = operation;
	}

	public String getQueue() {
		return this.queue;
	}

	public String getMessageId() {
		return this.messageId;
	}

	public String getOperation() {
		return this.operation;
	}

}
