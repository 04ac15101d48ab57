package io.disker.redis;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A Redis server that answered, but with a state that passes by itself: a Cluster moving
 * or re-electing a slot's master, a node loading its data set, a replica cut off from its
 * master. Such a reply is not a broken connection: the command was not run, it is safe to
 * retry it after a pause, and the log says what is happening instead of "cannot reach
 * Redis".
 *
 * @param code the error code Redis replied with, such as {@code TRYAGAIN}
 * @param description what the code means for Disker, for a log message
 * @author Disker team
 * @since 0.1.0
 */
public record RedisBusyState(String code, String description) {

	private static final List<RedisBusyState> KNOWN = List.of(
			new RedisBusyState("TRYAGAIN", "the Redis Cluster is moving the slot between masters (TRYAGAIN)"),
			new RedisBusyState("CLUSTERDOWN",
					"the Redis Cluster is down or a slot has no master yet, e.g. during a failover (CLUSTERDOWN)"),
			new RedisBusyState("MOVED",
					"a Redis Cluster node redirected the command to a master the client does not know yet (MOVED)"),
			new RedisBusyState("ASK", "the Redis Cluster is migrating the slot (ASK)"),
			new RedisBusyState("LOADING", "Redis is loading its data set after a restart (LOADING)"),
			new RedisBusyState("MASTERDOWN", "the Redis replica lost its master (MASTERDOWN)"), new RedisBusyState(
					"READONLY", "the node the client writes to is a replica now, e.g. after a failover (READONLY)"));

	/**
	 * Return the busy state a failure reports, if it is one.
	 * @param failure a failure of a Redis command, possibly wrapped
	 * @return the state, or {@code null} for any other failure (a broken connection among
	 * them)
	 */
	public static @Nullable RedisBusyState of(@Nullable Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			String message = cause.getMessage();
			if (message != null) {
				for (RedisBusyState state : KNOWN) {
					if (message.startsWith(state.code() + " ") || message.equals(state.code())) {
						return state;
					}
				}
			}
		}
		return null;
	}

}
