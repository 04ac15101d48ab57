package io.disker.actor;

import io.disker.core.DiskerException;

/**
 * Thrown when the actor type is not known on this instance.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class UnknownActorTypeException extends DiskerException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param message the message
	 */
	public UnknownActorTypeException(String message) {
		super(message);
	}

}
