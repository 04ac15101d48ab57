package io.disker.listener;

import io.disker.core.DiskerException;

/**
 * Thrown when a message payload does not convert to the type a listener declares. The
 * message is dead-lettered with reason {@code conversion}, never retried.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class PayloadConversionException extends DiskerException {

	private static final long serialVersionUID = 1L;

	public PayloadConversionException(String message, Throwable cause) {
		super(message, cause);
	}

	/**
	 * Create an exception without a cause (a wrong argument count, say).
	 * @param message the message
	 */
	public PayloadConversionException(String message) {
		super(message);
	}

}
