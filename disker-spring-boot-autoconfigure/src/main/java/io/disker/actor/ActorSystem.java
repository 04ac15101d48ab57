package io.disker.actor;

import java.util.Optional;
import java.util.Set;

/**
 * Creates and finds actors. Auto-configured as a bean; actor types are the
 * {@link DiskerActor @DiskerActor} beans of the application.
 *
 * @author Disker team
 * @since 0.1.0
 */
public interface ActorSystem {

	/**
	 * Create an actor with a dynamic id ({@code <type>#<n>}), or return the actor of a
	 * static type.
	 * @param type the actor type
	 * @return a reference to the actor
	 * @throws UnknownActorTypeException if no such type is known here
	 * @throws NoActorInstanceException if no instance of the type's cluster is alive
	 */
	ActorRef create(String type);

	/**
	 * Create an actor on the least-loaded live instance of its type's cluster, or return
	 * the existing actor with the spec's id.
	 * @param type the actor type
	 * @param spec the id, attributes and load
	 * @return a reference to the actor
	 * @throws UnknownActorTypeException if no such type is known here
	 * @throws NoActorInstanceException if no instance of the type's cluster is alive
	 * @throws io.disker.core.InvalidNameException if the id is not a valid name
	 * @throws ActorTypeMismatchException if an actor with that id has another type
	 */
	ActorRef create(String type, ActorSpec spec);

	/**
	 * Find an actor by id in the clusters this instance knows (its own and those of its
	 * actor types).
	 * @param id the actor id
	 * @return the actor, or empty if none exists (a non-recoverable actor is gone once
	 * its instance died)
	 */
	Optional<ActorRef> find(String id);

	/**
	 * Return a reference without checking that the actor exists.
	 * @param cluster the cluster
	 * @param id the actor id
	 * @return the reference
	 */
	ActorRef ref(String cluster, String id);

	/**
	 * Return the load of this instance: the sum of its actors' loads.
	 * @return the load
	 */
	long load();

	/**
	 * Return the ids of the actors this instance hosts right now.
	 * @return the ids
	 */
	Set<String> localActors();

}
