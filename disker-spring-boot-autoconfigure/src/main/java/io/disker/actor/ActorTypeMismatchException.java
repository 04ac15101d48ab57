package io.disker.actor;

import io.disker.core.DiskerException;

/**
 * Thrown when an actor with the requested id exists with another type.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class ActorTypeMismatchException extends DiskerException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param message the message
	 */
	public ActorTypeMismatchException(String message) {
		super(message);
	}

}
