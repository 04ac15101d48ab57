package io.disker.boot.autoconfigure;

import io.disker.actor.ActorSystem;
import io.disker.actor.support.ActorSettings;
import io.disker.actor.support.ActorTypes;
import io.disker.actor.support.RedisActorSystem;
import io.disker.core.support.DiskerExecutors;
import io.disker.core.support.MessageCodec;
import io.disker.queue.support.QueueContext;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class ActorMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "diskerActorMeterBinder")
		MeterBinder diskerActorMeterBinder(ObjectProvider<RedisActorSystem> actorSystem) {
			return (registry) -> {
				RedisActorSystem actors = actorSystem.getIfAvailable();
				if (actors == null) {
					// the application's own ActorSystem
					return;
				}
				Tags tags = Tags.of("cluster", actors.cluster());
				Gauge.builder("disker.actors.local", actors, (system) -> system.localActors().size())
					.tags(tags)
					.description("Actors hosted by this instance")
					.register(registry);
				Gauge.builder("disker.actors.load", actors, RedisActorSystem::load)
					.tags(tags)
					.description("Load of this instance: the sum of its actors' loads")
					.register(registry);
				Gauge.builder("disker.actors.asks.pending", actors, RedisActorSystem::pendingAsks)
					.tags(tags)
					.description("Asks of this instance waiting for their reply")
					.register(registry);
				FunctionCounter.builder("disker.actors.asks.timeouts", actors, RedisActorSystem::askTimeouts)
					.tags(tags)
					.description("Asks of this instance that timed out")
					.register(registry);
				for (String counter : actors.stats().snapshot().keySet()) {
					FunctionCounter
						.builder("disker.actors." + counter.replace('-', '.'), actors,
								(system) -> system.stats().snapshot().get(counter))
						.tags(tags)
						.description("Actor " + counter + " on this instance")
						.register(registry);
				}
			};
		}

	}

}
