package io.disker.boot.autoconfigure;

import io.disker.requestreply.RequestTemplate;
import io.lettuce.core.RedisClient;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.messaging.Message;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for Disker: reliable queues, request/reply and
 * {@code @DiskerListener} methods on the application's Redis connection.
 *
 * @author Disker team
 * @since 0.1.0
 */
@AutoConfiguration(after = { DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class })
@ConditionalOnClass({ RequestTemplate.class, LettuceConnectionFactory.class, RedisClient.class, Message.class })
@ConditionalOnSingleCandidate(RedisConnectionFactory.class)
@EnableConfigurationProperties(DiskerProperties.class)
@Import({ EmbeddedRedisModuleCheck.class, DiskerRedisConfiguration.class, DiskerMessagingConfiguration.class,
		DiskerAnnotationDrivenConfiguration.class })
public final class DiskerAutoConfiguration {

}
