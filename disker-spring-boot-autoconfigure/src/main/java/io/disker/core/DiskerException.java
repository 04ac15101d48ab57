package io.disker.core;

import org.jspecify.annotations.Nullable;

/**
 * Root of the unchecked exceptions thrown by Disker.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class DiskerException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public DiskerException(String message) {
		super(message);
	}

	public DiskerException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
