package io.disker.actor.support;

import java.util.Map;
import java.util.Set;

/**
 * What an actor system reports about itself and its cluster (Actuator).
 *
 * @param cluster the cluster this instance is a member of
 * @param member its member id
 * @param hosting whether it hosts actors
 * @param serving whether it holds its lease and serves its actors
 * @param load its load
 * @param localActors the actors it hosts
 * @param members the live members of the cluster with their loads
 * @param actors the actors of the cluster
 * @param waiting the actors waiting for a member to be placed on
 * @param pendingAsks asks of this instance waiting for their reply
 * @param rejoins how often it lost its lease and joined again
 * @param counters the counters of {@link ActorStats#snapshot()}
 * @author Disker team
 * @since 0.1.0
 */
public record ActorSystemStatus(String cluster, String member, boolean hosting, boolean serving, long load,
		Set<String> localActors, Map<String, Long> members, long actors, long waiting, int pendingAsks, int rejoins,
		Map<String, Long> counters) {

}
