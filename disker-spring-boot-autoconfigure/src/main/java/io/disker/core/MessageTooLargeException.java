package io.disker.core;

import org.springframework.util.unit.DataSize;

/**
 * Thrown when an encoded message is larger than {@code disker.max-message-size}. Nothing
 * is written to Redis.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class MessageTooLargeException extends DiskerException {

	private static final long serialVersionUID = 1L;

	private final long size;

	private final long limit;

	public MessageTooLargeException(String queue, long size, DataSize limit) {
		super("Message for queue '" + queue + "' is " + size + " bytes, over the limit of " + limit.toBytes()
				+ " bytes (disker.max-message-size)");
		this.size = size;
		this.limit = limit.toBytes();
	}

	/**
	 * Return the encoded size of the rejected message.
	 * @return the size in bytes
	 */
	public long getSize() {
		return this.size;
	}

	/**
	 * Return the configured limit.
	 * @return the limit in bytes
	 */
	public long getLimit() {
		return this.limit;
	}

}
