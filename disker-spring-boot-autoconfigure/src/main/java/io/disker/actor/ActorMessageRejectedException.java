package io.disker.actor;

import io.disker.core.DiskerException;

/**
 * Thrown when an actor could not take a message: unknown method, or an argument that does
 * not convert.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class ActorMessageRejectedException extends DiskerException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param message the message
	 */
	public ActorMessageRejectedException(String message) {
		super(message);
	}

}
