package io.disker.boot.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Stops the start-up when {@code disker.embedded-redis.enabled=true} but the
 * {@code disker-embedded-redis} module is not on the class path: silently connecting to
 * whatever listens on the configured port instead would hide the mistake.
 *
 * @author Disker team
 * @since 0.1.0
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("disker.embedded-redis.enabled")
@ConditionalOnMissingClass("io.disker.embedded.EmbeddedRedis")
class EmbeddedRedisModuleCheck {

	@Bean
	static Object diskerEmbeddedRedisModuleCheck() {
		throw new EmbeddedRedisModuleMissingException();
	}

}
