package io.disker.actor.support;

import java.time.Duration;

/**
 * The settings of an actor system.
 *
 * @param cluster the cluster this instance is a member of
 * @param askTimeout the default ask timeout
 * @param leaseTime how long a member stays live without renewing its lease
 * @param heartbeatInterval how often the lease is renewed
 * @param sweepInterval how often lapsed members are evicted and waiting actors placed
 * @param commandTimeout how long a create, find or send waits for Redis
 * @param maxMessageSize the largest encoded message
 * @param concurrency the threads that run actor methods
 * @param receiveTimeout how long the inbox reader blocks before checking its state
 * @param deadLetterCap the most dead letters kept per cluster
 * @author Disker team
 * @since 0.1.0
 */
public record ActorSettings(String cluster, Duration askTimeout, Duration leaseTime, Duration heartbeatInterval,
		Duration sweepInterval, Duration commandTimeout, long maxMessageSize, int concurrency, Duration receiveTimeout,
		int deadLetterCap) {

}
