package io.disker.actor;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What an actor knows about itself, given to its constructor.
 *
 * @author Disker team
 * @since 0.1.0
 */
public interface ActorContext {

	/**
	 * Return the actor's id.
	 * @return the id
	 */
	String id();

	/**
	 * Return the actor's type.
	 * @return the type name
	 */
	String type();

	/**
	 * Return the attributes the actor was created with (the same after a recovery).
	 * @return the attributes, as JSON-shaped values
	 */
	Map<String, Object> attributes();

	/**
	 * Return one attribute converted to a type.
	 * @param <T> the type
	 * @param name the attribute name
	 * @param type the type
	 * @return the value, or {@code null} if absent
	 */
	<T> @Nullable T attribute(String name, Class<T> type);

	/**
	 * Return why this incarnation was created.
	 * @return the cause
	 */
	ActorCause cause();

	/**
	 * Return the actor's load.
	 * @return the load
	 */
	int load();

	/**
	 * Change the actor's load, counted in the load of its instance (placement picks the
	 * least-loaded instance).
	 * @param load the load, zero or more
	 */
	void setLoad(int load);

	/**
	 * Destroy the actor once the current constructor or method returns: it is removed and
	 * messages sent to it afterwards fail with {@link ActorNotFoundException}.
	 */
	void destroy();

	/**
	 * Restart the actor once the current method returns: a recoverable actor gets a new
	 * incarnation (fresh state, cause {@link ActorCause#RECOVERED}) on the least-loaded
	 * instance; messages sent meanwhile wait for it. Any other actor is destroyed.
	 */
	void restart();

	/**
	 * Return a reference to this actor.
	 * @return the reference
	 */
	ActorRef self();

	/**
	 * Return the actor system, e.g. to create children.
	 * @return the system
	 */
	ActorSystem system();

}
