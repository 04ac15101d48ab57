package io.disker.redis;

import io.disker.core.DiskerConnectionException;
import io.lettuce.core.RedisCommandTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Turns a failure to connect to Redis into a message that says what to check: a server
 * that refuses or cannot be found, or one that answers but does not speak the Redis
 * protocol (the configured address belongs to another service).
 *
 * @author Disker team
 * @since 0.1.0
 */
final class ConnectFailures {

	private ConnectFailures() {
	}

	static DiskerConnectionException describe(Throwable failure) {
		if (failure instanceof DiskerConnectionException disker) {
			return disker;
		}
		String detail = deepestMessage(failure);
		if (speaksAnotherProtocol(failure)) {
			return new DiskerConnectionException("Cannot connect to Redis: the server at the address of "
					+ "spring.data.redis.* answered, but not like a Redis server (" + detail
					+ "); check that host and port belong to Redis and not to another service", failure);
		}
		return new DiskerConnectionException("Cannot connect to Redis at the address of spring.data.redis.*: " + detail,
				failure);
	}

	// A peer that speaks another protocol either sends bytes the RESP parser rejects, or
	// accepts the connection and never answers the handshake.
	private static boolean speaksAnotherProtocol(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			String message = String.valueOf(cause.getMessage());
			if (message.contains("Invalid first byte") || message.contains("Unsupported RESP")
					|| cause instanceof RedisCommandTimeoutException) {
				return true;
			}
		}
		return false;
	}

	private static String deepestMessage(Throwable failure) {
		Throwable deepest = failure;
		@Nullable Throwable cause = failure.getCause();
		while (cause != null && cause != deepest) {
			if (cause.getMessage() != null) {
				deepest = cause;
			}
			cause = cause.getCause();
		}
		String message = deepest.getMessage();
		return (message != null) ? message : deepest.getClass().getSimpleName();
	}

}
