package io.disker.config;

import io.disker.listener.DiskerMessageListenerContainer;

/**
 * A programmatically registered handler.
 *
 * @author Disker team
 * @since 0.1.0
 */
public interface Registration {

	/**
	 * Return the container id.
	 * @return the id
	 */
	String getId();

	/**
	 * Return the queue.
	 * @return the queue name
	 */
	String getQueue();

	/**
	 * Return the container.
	 * @return the container
	 */
	DiskerMessageListenerContainer getContainer();

	/**
	 * Stop the handler and remove it. Unstarted messages go back to the head of the queue
	 * and running ones finish (up to the shutdown timeout); nothing is lost. Returns when
	 * done.
	 */
	void unregister();

}
