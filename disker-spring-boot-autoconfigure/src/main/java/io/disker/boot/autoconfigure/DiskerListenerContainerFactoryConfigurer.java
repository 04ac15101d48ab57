package io.disker.boot.autoconfigure;

import io.disker.config.DefaultDiskerListenerContainerFactory;
import io.disker.listener.ContainerOptions;
import io.disker.listener.RetrySettings;

/**
 * Applies the {@code disker.listener.*} properties to a container factory, so that a
 * factory an application builds itself gets the same defaults as the auto-configured one.
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
		DiskerProperties.Retry retry = listener.getRetry();
		RetrySettings retrySettings = new RetrySettings(retry.getMaxAttempts(), retry.getInitialInterval(),
				retry.getMultiplier(), retry.getMaxInterval(), retry.getNotRetryable());
		factory.setRetrySettings(retrySettings);
		factory.setOptions(
				new ContainerOptions(listener.getConcurrency(), listener.getPrefetch(), listener.getReceiveTimeout(),
						listener.getShutdownTimeout(), false, retrySettings.toRetryPolicy(), listener.getTimeout()));
		factory.setAutoStartup(listener.isAutoStartup());
	}

}
