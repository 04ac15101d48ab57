package io.disker.boot.autoconfigure.endpoint;

import io.disker.actor.support.RedisActorSystem;
import io.disker.boot.actuate.endpoint.DiskerEndpoint;
import io.disker.boot.autoconfigure.DiskerActorAutoConfiguration;
import io.disker.boot.autoconfigure.DiskerAutoConfiguration;
import io.disker.boot.autoconfigure.DiskerTimerAutoConfiguration;
import io.disker.config.DiskerListenerRegistry;
import io.disker.monitor.QueueInspector;
import io.disker.queue.DeadLetters;
import io.disker.queue.support.QueueContext;
import io.disker.redis.ScriptRunner;
import io.disker.requestreply.RequestTemplate;
import io.disker.timer.TimerListenerRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the {@code disker} actuator endpoint.
 *
 * @author Disker team
 * @since 0.1.0
 */
@AutoConfiguration(after = { DiskerAutoConfiguration.class, DiskerTimerAutoConfiguration.class,
		DiskerActorAutoConfiguration.class })
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(QueueContext.class)
@ConditionalOnAvailableEndpoint(DiskerEndpoint.class)
public final class DiskerEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DiskerEndpoint diskerEndpoint(QueueContext queues, ObjectProvider<QueueInspector> inspector, ScriptRunner scripts,
			DeadLetters deadLetters, DiskerListenerRegistry registry, ObjectProvider<RequestTemplate> template,
			ObjectProvider<TimerListenerRegistry> timers, ObjectProvider<RedisActorSystem> actors) {
		DiskerEndpoint endpoint = new DiskerEndpoint(queues,
				inspector.getIfAvailable(() -> new QueueInspector(scripts)), deadLetters, registry,
				template.getIfAvailable(), timers.getIfAvailable());
		endpoint.setActorSystem(actors.getIfAvailable());
		return endpoint;
	}

}
