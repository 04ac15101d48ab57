package io.disker.actor;

import io.disker.core.DiskerException;

/**
 * Thrown when no actor with the id exists (any more).
 *
 * @author Disker team
 * @since 0.1.0
 */
public class ActorNotFoundException extends DiskerException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param message the message
	 */
	public ActorNotFoundException(String message) {
		super(message);
	}

}
