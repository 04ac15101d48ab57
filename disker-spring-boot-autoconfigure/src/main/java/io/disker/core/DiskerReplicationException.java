package io.disker.core;

/**
 * Thrown (as the cause of a failed send) when {@code disker.producer.replicas-ack} asks
 * for replica acknowledgements and fewer replicas acknowledged the write in time. The
 * message is in the master: it is delivered unless the master fails before a replica
 * copied it. Sending again may deliver it twice (use an explicit message id to send it
 * once).
 *
 * @author Disker team
 * @since 0.1.0
 */
public class DiskerReplicationException extends DiskerException {

	private static final long serialVersionUID = 1L;

	private final String messageId;

	private final long acknowledged;

	private final int required;

	public DiskerReplicationException(String queue, String messageId, long acknowledged, int required) {
		super("Message " + messageId + " to queue '" + queue + "' reached " + acknowledged + " of the " + required
				+ " replicas required by disker.producer.replicas-ack in time");
		this.messageId = messageId;
		this.acknowledged = acknowledged;
		this.required = required;
	}

	/**
	 * Return the id of the message.
	 * @return the message id
	 */
	public String getMessageId() {
		return this.messageId;
	}

	/**
	 * Return how many replicas acknowledged the write.
	 * @return the count
	 */
	public long getAcknowledged() {
		return this.acknowledged;
	}

	/**
	 * Return how many replicas were required.
	 * @return the count
	 */
	public int getRequired() {
		return this.required;
	}

}
