package io.disker.actor;

import io.disker.core.DiskerException;

/**
 * Thrown when no instance of the actor's cluster is alive to host a new actor.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class NoActorInstanceException extends DiskerException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param message the message
	 */
	public NoActorInstanceException(String message) {
		super(message);
	}

}
