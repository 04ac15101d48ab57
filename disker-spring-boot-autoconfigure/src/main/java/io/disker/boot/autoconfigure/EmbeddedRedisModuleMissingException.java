package io.disker.boot.autoconfigure;

/**
 * Thrown at start-up when {@code disker.embedded-redis.enabled=true} is set without the
 * {@code io.disker:disker-embedded-redis} module on the class path.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class EmbeddedRedisModuleMissingException extends IllegalStateException {

	/**
	 * The dependency a user adds to get the embedded server.
	 */
	public static final String DEPENDENCY = "io.disker:disker-embedded-redis";

	EmbeddedRedisModuleMissingException() {
		super("disker.embedded-redis.enabled=true, but " + DEPENDENCY
				+ " is not on the class path, so no embedded redis-server can start. Add the dependency " + DEPENDENCY
				+ " (for development only), or remove the property and point "
				+ "spring.data.redis.* at a running Redis");
	}

}
