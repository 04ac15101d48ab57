package io.disker.config;

import java.util.concurrent.Executor;

import io.disker.listener.ContainerOptions;
import io.disker.listener.DiskerMessageListener;
import io.disker.listener.DiskerMessageListenerContainer;
import io.disker.listener.ListenerSupport;
import io.disker.listener.RetrySettings;
import io.disker.redis.QueueKeys;
import io.disker.redis.QueueKind;

import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.util.Assert;

/**
 * The standard container factory: endpoint settings override the factory's
 * {@link ContainerOptions}.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class DefaultDiskerListenerContainerFactory implements DiskerListenerContainerFactory {

	private final ListenerSupport support;

	private ContainerOptions options = ContainerOptions.DEFAULTS;

	private RetrySettings retrySettings = RetrySettings.DEFAULTS;

	private Executor taskExecutor = new SimpleAsyncTaskExecutor("disker-");

	private boolean autoStartup = true;

	private int phase = DiskerMessageListenerContainer.DEFAULT_PHASE;

	public DefaultDiskerListenerContainerFactory(ListenerSupport support) {
		this.support = support;
	}

	/**
	 * Return the shared collaborators.
	 * @return the support
	 */
	public ListenerSupport getSupport() {
		return this.support;
	}

	/**
	 * Return the default options.
	 * @return the options
	 */
	public ContainerOptions getOptions() {
		return this.options;
	}

	/**
	 * Set the default options.
	 * @param options the options
	 */
	public void setOptions(ContainerOptions options) {
		Assert.notNull(options, "'options' must not be null");
		this.options = options;
	}

	/**
	 * Set the retry settings that listener overrides inherit from. The options' retry
	 * policy applies to listeners that override nothing.
	 * @param retrySettings the settings
	 */
	public void setRetrySettings(RetrySettings retrySettings) {
		Assert.notNull(retrySettings, "'retrySettings' must not be null");
		this.retrySettings = retrySettings;
	}

	/**
	 * Set the executor that runs each container's long-lived threads (a fetch thread and
	 * one thread per concurrent handler); it must start a new thread per task.
	 * @param taskExecutor the executor
	 */
	public void setTaskExecutor(Executor taskExecutor) {
		Assert.notNull(taskExecutor, "'taskExecutor' must not be null");
		this.taskExecutor = taskExecutor;
	}

	/**
	 * Set whether containers start with the context by default.
	 * @param autoStartup the flag
	 */
	public void setAutoStartup(boolean autoStartup) {
		this.autoStartup = autoStartup;
	}

	/**
	 * Set the lifecycle phase of the containers.
	 * @param phase the phase
	 */
	public void setPhase(int phase) {
		this.phase = phase;
	}

	@Override
	public DiskerMessageListenerContainer createListenerContainer(DiskerListenerEndpoint endpoint) {
		ContainerOptions containerOptions = this.options;
		if (endpoint.getConcurrency() != null) {
			containerOptions = containerOptions.withConcurrency(endpoint.getConcurrency());
		}
		if (endpoint.getPrefetch() != null) {
			containerOptions = containerOptions.withPrefetch(endpoint.getPrefetch());
		}
		if (endpoint.getRetryPolicy() != null) {
			containerOptions = containerOptions.withRetryPolicy(endpoint.getRetryPolicy());
		}
		else if (endpoint.getRetrySettings() != null) {
			containerOptions = containerOptions
				.withRetryPolicy(endpoint.getRetrySettings().withDefaults(this.retrySettings).toRetryPolicy());
		}
		if (endpoint.getTimeout() != null) {
			containerOptions = containerOptions.withTimeout(endpoint.getTimeout());
		}
		if (endpoint.isOneTime()) {
			containerOptions = containerOptions.asOneTime();
		}
		DiskerMessageListener listener = endpoint.createMessageListener(this.support.codec());
		QueueKeys queue = (endpoint.getQueueKind() == QueueKind.SENDER)
				? this.support.queues().keys().sender(endpoint.getQueue())
				: this.support.queues().keys().queue(endpoint.getQueue());
		DiskerMessageListenerContainer container = new DiskerMessageListenerContainer(endpoint.getId(), queue, listener,
				containerOptions, this.support, this.taskExecutor);
		container.setAutoStartup((endpoint.getAutoStartup() != null) ? endpoint.getAutoStartup() : this.autoStartup);
		container.setPhase(this.phase);
		return container;
	}

}
