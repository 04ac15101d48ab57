package io.disker.boot.autoconfigure;

import io.disker.core.support.DeadLetterCodec;
import io.disker.core.support.DiskerExecutors;
import io.disker.core.support.MessageCodec;
import io.disker.core.support.StrictConversion;
import io.disker.observation.DiskerListenerObservationConvention;
import io.disker.observation.DiskerObservations;
import io.disker.observation.DiskerTemplateObservationConvention;
import io.disker.queue.DeadLetters;
import io.disker.queue.support.QueueContext;
import io.disker.requestreply.RequestTemplate;
import io.micrometer.observation.ObservationRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The message codec and the {@link RequestTemplate}.
 *
 * @author Disker team
 * @since 0.1.0
 */
@Configuration(proxyBeanMethods = false)
class DiskerMessagingConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MessageCodec diskerMessageCodec(DiskerProperties properties, ObjectProvider<JsonMapper> jsonMapper) {
		// Payload types come from listener signatures only: never let a type id on the
		// wire
		// pick a class, even if the application's mapper enables default typing.
		// Strict conversion: "5" is no int and 1.7 no long, whatever the application's
		// mapper allows; its modules still apply.
		JsonMapper mapper = StrictConversion
			.configure(
					jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()).rebuild().deactivateDefaultTyping())
			.build();
		return new MessageCodec(mapper, properties.getMaxMessageSize());
	}

	@Bean
	@ConditionalOnMissingBean
	DeadLetterCodec diskerDeadLetterCodec(MessageCodec codec) {
		return new DeadLetterCodec(codec.getMapper());
	}

	@Bean
	@ConditionalOnMissingBean
	DiskerObservations diskerObservations(DiskerProperties properties, ObjectProvider<ObservationRegistry> registry,
			ObjectProvider<DiskerTemplateObservationConvention> templateConvention,
			ObjectProvider<DiskerListenerObservationConvention> listenerConvention) {
		if (!properties.getMetrics().isObservationEnabled()) {
			return DiskerObservations.NONE;
		}
		return new DiskerObservations(registry.getIfUnique(() -> ObservationRegistry.NOOP),
				templateConvention.getIfUnique(), listenerConvention.getIfUnique());
	}

	@Bean
	@ConditionalOnMissingBean
	DeadLetters deadLetters(QueueContext queues, MessageCodec codec, DeadLetterCodec deadLetterCodec) {
		return new DeadLetters(queues, codec, deadLetterCodec);
	}

	@Bean
	@ConditionalOnMissingBean
	RequestTemplate requestTemplate(DiskerProperties properties, QueueContext queues, MessageCodec codec,
			DiskerExecutors executors, DiskerObservations observations) {
		RequestTemplate template = new RequestTemplate(queues, codec, properties.getRequest().getTimeout(), executors,
				properties.getListener().getReceiveTimeout());
		template.setSendTimeout(properties.getProducer().getSendTimeout());
		template.setDedupWindow(properties.getProducer().getDedupWindow());
		template.setReplicasAck(properties.getProducer().getReplicasAck(),
				properties.getProducer().getReplicasAckTimeout());
		template.setObservations(observations);
		return template;
	}

}
