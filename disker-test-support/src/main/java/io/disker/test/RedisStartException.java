package io.disker.test;

/**
 * redis-server did not come up; the message carries the tail of its log.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class RedisStartException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final boolean portInUse;

	RedisStartException(String message, boolean portInUse) {
		super(message);
		this.portInUse = portInUse;
	}

	boolean isPortInUse() {
		return this.portInUse;
	}

}
