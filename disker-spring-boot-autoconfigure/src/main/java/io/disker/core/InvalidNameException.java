package io.disker.core;

/**
 * Thrown when a queue, sender, namespace or actor name breaks the naming rule. Nothing is
 * written to Redis.
 *
 * @author Disker team
 * @since 0.1.0
 * @see DiskerNames
 */
public class InvalidNameException extends DiskerException {

	private static final long serialVersionUID = 1L;

	public InvalidNameException(String message) {
		super(message);
	}

}
