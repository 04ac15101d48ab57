package io.disker.config;

import io.disker.listener.DiskerMessageListenerContainer;

/**
 * Creates listener containers from endpoints, applying shared defaults.
 *
 * @author Disker team
 * @since 0.1.0
 */
@FunctionalInterface
public interface DiskerListenerContainerFactory {

	/**
	 * Create a container for an endpoint.
	 * @param endpoint the endpoint
	 * @return the container, not started
	 */
	DiskerMessageListenerContainer createListenerContainer(DiskerListenerEndpoint endpoint);

}
