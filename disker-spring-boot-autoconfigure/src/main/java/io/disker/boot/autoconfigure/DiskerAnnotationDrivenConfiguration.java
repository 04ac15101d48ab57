package io.disker.boot.autoconfigure;

import io.disker.annotation.EnableDisker;
import io.disker.config.DefaultDiskerListenerContainerFactory;
import io.disker.config.DiskerListenerConfigUtils;
import io.disker.core.support.DeadLetterCodec;
import io.disker.core.support.DiskerExecutors;
import io.disker.core.support.MessageCodec;
import io.disker.listener.ListenerSupport;
import io.disker.listener.ReconnectPolicy;
import io.disker.observation.DiskerObservations;
import io.disker.queue.support.QueueContext;
import io.disker.requestreply.RequestTemplate;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The default listener container factory and {@link EnableDisker @EnableDisker}.
 *
 * @author Disker team
 * @since 0.1.0
 */
@Configuration(proxyBeanMethods = false)
class DiskerAnnotationDrivenConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ListenerSupport diskerListenerSupport(DiskerProperties properties, QueueContext queues, MessageCodec codec,
			DeadLetterCodec deadLetterCodec, RequestTemplate requestTemplate, DiskerObservations observations) {
		DiskerProperties.Connection connection = properties.getConnection();
		Integer maxFailures = connection.getMaxFailures();
		ReconnectPolicy reconnect = new ReconnectPolicy((maxFailures != null) ? maxFailures : 0,
				connection.getRetryInterval(), connection.getMaxRetryInterval());
		return new ListenerSupport(queues, codec, deadLetterCodec, requestTemplate,
				properties.getDeadLetter().getMaxLength(), reconnect, observations);
	}

	@Bean
	@ConditionalOnMissingBean
	DiskerListenerContainerFactoryConfigurer diskerListenerContainerFactoryConfigurer(DiskerProperties properties) {
		return new DiskerListenerContainerFactoryConfigurer(properties);
	}

	@Bean(name = DiskerListenerConfigUtils.DEFAULT_CONTAINER_FACTORY_BEAN_NAME)
	@ConditionalOnMissingBean(name = DiskerListenerConfigUtils.DEFAULT_CONTAINER_FACTORY_BEAN_NAME)
	DefaultDiskerListenerContainerFactory diskerListenerContainerFactory(
			DiskerListenerContainerFactoryConfigurer configurer, ListenerSupport support, DiskerExecutors executors) {
		DefaultDiskerListenerContainerFactory factory = new DefaultDiskerListenerContainerFactory(support);
		configurer.configure(factory);
		factory.setTaskExecutor(executors.containers());
		return factory;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableDisker
	@ConditionalOnMissingBean(name = DiskerListenerConfigUtils.DISKER_LISTENER_ANNOTATION_PROCESSOR_BEAN_NAME)
	static class EnableDiskerConfiguration {

	}

}
