package io.disker.core;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when Redis cannot be reached or does not answer in time.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class DiskerConnectionException extends DiskerException {

	private static final long serialVersionUID = 1L;

	public DiskerConnectionException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
