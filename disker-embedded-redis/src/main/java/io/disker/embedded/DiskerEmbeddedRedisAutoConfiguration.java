package io.disker.embedded;

import org.springframework.boot.autoconfigure.AbstractDependsOnBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} that starts a development redis-server when
 * {@code disker.embedded-redis.enabled=true}, from the binary in the embedded-redis jar
 * this module brings. The server listens on the host and port of
 * {@code spring.data.redis.*} and starts before any {@link RedisConnectionFactory}. When
 * the application gets its Redis from {@link DataRedisConnectionDetails} instead (a
 * Testcontainers {@code @ServiceConnection}, Docker Compose), no server is started.
 *
 * @author Disker team
 * @since 0.1.0
 */
@AutoConfiguration(before = DataRedisAutoConfiguration.class)
@ConditionalOnBooleanProperty("disker.embedded-redis.enabled")
@ConditionalOnMissingBean(DataRedisConnectionDetails.class)
@EnableConfigurationProperties({ DataRedisProperties.class, DiskerEmbeddedRedisProperties.class })
public final class DiskerEmbeddedRedisAutoConfiguration {

	static final String BEAN_NAME = "diskerEmbeddedRedis";

	@Bean(name = BEAN_NAME)
	EmbeddedRedis diskerEmbeddedRedis(DataRedisProperties redis) {
		return EmbeddedRedis.forProperties(redis);
	}

	@Bean
	static RedisConnectionFactoryDependsOnEmbeddedRedis redisConnectionFactoryDependsOnEmbeddedRedis() {
		return new RedisConnectionFactoryDependsOnEmbeddedRedis();
	}

	/**
	 * Makes every {@link RedisConnectionFactory} wait for the embedded server.
	 */
	static final class RedisConnectionFactoryDependsOnEmbeddedRedis extends AbstractDependsOnBeanFactoryPostProcessor {

		RedisConnectionFactoryDependsOnEmbeddedRedis() {
			super(RedisConnectionFactory.class, BEAN_NAME);
		}

	}

}
