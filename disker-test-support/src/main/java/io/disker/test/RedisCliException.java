package io.disker.test;

/**
 * An error reply from Redis, such as {@code ERR unknown command} or
 * {@code WRONGTYPE ...}.
 * <p>
 * The message is the reply without its leading {@code -}.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class RedisCliException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception for an error reply.
	 * @param message the error reply, such as {@code ERR unknown command 'FOO'}
	 */
	public RedisCliException(String message) {
		super(message);
	}

}
