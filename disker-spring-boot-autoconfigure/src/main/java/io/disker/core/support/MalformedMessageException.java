package io.disker.core.support;

import io.disker.core.DiskerException;

/**
 * Thrown when received bytes cannot be read as a message. Such a message is dead-lettered
 * on first delivery, never retried.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class MalformedMessageException extends DiskerException {

	private static final long serialVersionUID = 1L;

	private final DeadLetterReason reason;

	public MalformedMessageException(DeadLetterReason reason, String message) {
		super(message);
		this.reason = reason;
	}

	/**
	 * Return why the message cannot be read.
	 * @return the reason
	 */
	public DeadLetterReason getReason() {
		return this.reason;
	}

}
