package io.disker.boot.autoconfigure;

import io.disker.listener.ContainerOptions;
import io.disker.listener.DefaultDiskerListenerContainerFactory;

/**
 * Applies the {@code disker.listener.*} properties to a container factory, so that a factory
 * an application builds itself gets the same defaults as the auto-configured one.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class DiskerListenerContainerFactoryConfigurer {

	private final DiskerProperties properties;

	public DiskerListenerContainerFactoryConfigurer(DiskerProperties properties) {
		this.properties = properties;
	}

	/**
	 * Configure a factory from the properties.
	 * @param factory the factory
	 */
	public void configure(DefaultDiskerListenerContainerFactory factory) {
		DiskerProperties.Listener listener = this.properties.getListener();
		factory.setOptions(new ContainerOptions(listener.getConcurrency(), listener.getPrefetch(),
				listener.getReceiveTimeout(), listener.getShutdownTimeout(), false));
		factory.setAutoStartup(listener.isAutoStartup());
	}

}
