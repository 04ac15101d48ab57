package io.disker.actor;

/**
 * Published as a Spring application event when an actor incarnation starts or ends on
 * this instance.
 *
 * @param actorId the actor id
 * @param type the actor type
 * @param cluster the cluster
 * @param change what happened
 * @author Disker team
 * @since 0.1.0
 */
public record ActorEvent(String actorId, String type, String cluster, Change change) {

	/**
	 * What happened to an actor incarnation.
	 */
	public enum Change {

		/** Created here by {@link ActorSystem#create}. */
		CREATED,

		/** Created here again after its instance died, left or lost its lease. */
		RECOVERED,

		/** Ended here (destroyed, restarted, or moved away at shutdown). */
		DESTROYED

	}

}
