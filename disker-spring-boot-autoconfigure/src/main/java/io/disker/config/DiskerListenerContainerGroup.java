package io.disker.config;

import java.util.Collection;

import io.disker.listener.DiskerMessageListenerContainer;

/**
 * Listener containers that another component creates and removes as it goes, such as the
 * container a timer namespace runs while this node is joined to it. A group added to the
 * {@link DiskerListenerRegistry} starts and stops with it, so one lifecycle drains every
 * container of the application, and its containers are listed with the others.
 *
 * @author Disker team
 * @since 0.1.0
 */
public interface DiskerListenerContainerGroup {

	/**
	 * Start the group's containers, as the application context starts.
	 */
	void start();

	/**
	 * Stop the group's containers, draining them asynchronously.
	 * @param callback run once, when every container stopped
	 */
	void stop(Runnable callback);

	/**
	 * Return the containers the group runs now.
	 * @return the containers
	 */
	Collection<DiskerMessageListenerContainer> getListenerContainers();

}
