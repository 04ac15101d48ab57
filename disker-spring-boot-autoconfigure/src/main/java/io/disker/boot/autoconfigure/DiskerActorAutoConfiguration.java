package io.disker.boot.autoconfigure;

import io.disker.actor.ActorSystem;
import io.disker.actor.support.ActorSettings;
import io.disker.actor.support.ActorTypes;
import io.disker.actor.support.RedisActorSystem;
import io.disker.core.support.DiskerExecutors;
import io.disker.core.support.MessageCodec;
import io.disker.queue.support.QueueContext;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for Disker's actors: the {@link ActorSystem} bean, hosting the
 * application's {@link io.disker.actor.DiskerActor @DiskerActor} types.
 *
 * @author Disker team
 * @since 0.1.0
 */
@AutoConfiguration(after = DiskerAutoConfiguration.class)
@ConditionalOnBean({ QueueContext.class, MessageCodec.class, DiskerExecutors.class })
@EnableConfigurationProperties(DiskerActorProperties.class)
public final class DiskerActorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(ActorSystem.class)
	RedisActorSystem diskerActorSystem(DiskerActorProperties properties, QueueContext queues, MessageCodec codec,
			DiskerExecutors executors, ConfigurableListableBeanFactory beanFactory, ApplicationEventPublisher events) {
		ActorSettings settings = new ActorSettings(properties.getCluster(), properties.getAskTimeout(),
				properties.getLeaseTime(), properties.getHeartbeatInterval(), properties.getSweepInterval(),
				properties.getCommandTimeout(), properties.getMaxMessageSize().toBytes(), properties.getConcurrency(),
				properties.getReceiveTimeout(), properties.getDeadLetterCap());
		RedisActorSystem system = new RedisActorSystem(queues.connections(), queues.scripts(), queues.keys().prefix(),
				codec, ActorTypes.fromBeans(beanFactory, properties.getCluster()), settings, executors,
				queues.instanceId());
		system.setApplicationEventPublisher(events);
		return system;
	}

}
