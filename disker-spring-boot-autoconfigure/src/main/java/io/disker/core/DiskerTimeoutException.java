package io.disker.core;

import java.time.Duration;

/**
 * Thrown (as the cause of a failed future) when no reply arrived within the request
 * timeout.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class DiskerTimeoutException extends DiskerException {

	private static final long serialVersionUID = 1L;

	private final String messageId;

	private final Duration timeout;

	public DiskerTimeoutException(String queue, String messageId, Duration timeout) {
		super("No reply from queue '" + queue + "' within " + timeout.toMillis() + " ms (message " + messageId + ")");
		this.messageId = messageId;
		this.timeout = timeout;
	}

	/**
	 * Return the id of the request that timed out.
	 * @return the message id
	 */
	public String getMessageId() {
		return this.messageId;
	}

	/**
	 * Return the timeout that elapsed.
	 * @return the timeout
	 */
	public Duration getTimeout() {
		return this.timeout;
	}

}
