package io.disker.actor;

/**
 * Why an actor incarnation was created.
 *
 * @author Disker team
 * @since 0.1.0
 */
public enum ActorCause {

	/** Created by {@link ActorSystem#create(String, ActorSpec)}. */
	CREATED,

	/**
	 * Created again, with the same id and attributes (but fresh state), after its
	 * instance died, lost its lease or shut down, or after it restarted itself.
	 */
	RECOVERED

}
